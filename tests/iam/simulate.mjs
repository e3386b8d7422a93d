// Batch IAM evaluation for tests/iam/oracle.py: one node process per batch, JSON in on stdin, JSON out on stdout.
// Input:  {"identityPolicies": [DOC...], "boundary": DOC|null, "principal": ARN, "account": ID,
//          "requests": [{"action": A, "resource": R, "context": {K: V}, "resourcePolicy": DOC|null}...]}
// Output: [{"allowed": bool, "detail": str}...] in request order.
// Backed by @cloud-copilot/iam-simulate (AGPL-3.0, a devDependency used only by the tests).
import { runSimulation } from '@cloud-copilot/iam-simulate'

function accountOf(resource, fallback) {
  const parts = resource.split(':')
  return parts.length > 4 && /^\d{12}$/.test(parts[4]) ? parts[4] : fallback
}

// A KMS key always has a key policy, and IAM policies count only when it lets them: AWS's default key policy
// ("Enable IAM User Permissions", Principal = the key account's root) does. Without one the simulator, like AWS,
// denies. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
function defaultResourcePolicy(request, accountId) {
  if (!/^arn:[^:]+:kms:[^:]*:\d{12}:key\//.test(request.resource)) return undefined
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }],
  }
}

function statementIds(statements) {
  return (statements || []).map((s) => s.identifier ?? s.explain?.identifier ?? '?').join(',')
}

async function evaluateOne(input, request) {
  const simulation = {
    request: {
      principal: input.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: accountOf(request.resource, input.account) },
      contextVariables: request.context || {},
    },
    identityPolicies: input.identityPolicies.map((policy, i) => ({ name: `policy${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }
  const resourcePolicy = request.resourcePolicy ?? defaultResourcePolicy(request, simulation.request.resource.accountId)
  if (resourcePolicy) simulation.resourcePolicy = resourcePolicy
  if (input.boundary) simulation.permissionBoundaryPolicies = [{ name: 'boundary', policy: input.boundary }]
  const response = await runSimulation(simulation, {})
  if (response.resultType === 'error') {
    return { allowed: false, detail: `invalid request: ${JSON.stringify(response.errors)}` }
  }
  const allowed = response.overallResult === 'Allowed'
  let detail = response.overallResult
  if (response.resultType === 'single') {
    const analysis = response.result.analysis || {}
    const identity = analysis.identityAnalysis || {}
    const boundary = analysis.permissionBoundaryAnalysis
    if (identity.denyStatements?.length) detail += ` by identity deny ${statementIds(identity.denyStatements)}`
    else if (boundary?.denyStatements?.length) detail += ` by boundary deny ${statementIds(boundary.denyStatements)}`
    else if (!identity.allowStatements?.length) detail += ': no identity statement allows it'
    else if (boundary && boundary.result !== 'Allowed') detail += ': the boundary does not allow it'
    else if (!allowed) detail += ': the resource policy does not allow it'
    else detail += ` by identity allow ${statementIds(identity.allowStatements)}`
  }
  return { allowed, detail }
}

let raw = ''
for await (const chunk of process.stdin) raw += chunk
const input = JSON.parse(raw)
const out = []
for (const request of input.requests) out.push(await evaluateOne(input, request))
process.stdout.write(JSON.stringify(out))
