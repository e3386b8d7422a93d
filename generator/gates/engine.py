"""The gate: cfn-lint, cfn-guard (our pack + Control Tower), checkov and iam-escalation over many templates, fast.

Each tool runs as ONE process over every template it has not seen (content-hash cache), the four in parallel;
findings merge into one model, inline suppressions become findings, and waivers.yaml decides what is waived.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from mlprov import cachedir
from mlprov.gates import tierlabel
from mlprov.gates.cache import GateCache
from mlprov.gates.cfnlint_tool import CfnLint
from mlprov.gates.checkov_tool import Checkov
from mlprov.gates.escalation_tool import IamEscalation
from mlprov.gates.guard_tool import CfnGuard
from mlprov.gates.inline import inline_suppressions
from mlprov.gates.model import Finding, GateResult, Tool, ToolRun
from mlprov.gates.targets import Target, resolve_targets
from mlprov.gates.toolbase import Runner, run_batch
from mlprov.gates.waivers import apply_waivers, load_waivers, unused_warnings
from mlprov.paths import Repo


def cache_dir(root: Path) -> Path:
    """The gate cache: outside the work tree (``$MLPROV_CACHE_DIR``, else the XDG user cache), never one git tracks."""
    return cachedir.cache_dir(root, "gate")


@dataclass(frozen=True)
class GateOptions:
    use_cache: bool = True
    tools: tuple[Tool, ...] = tuple(Tool)


def runner_factories(root: Path, tools: tuple[Tool, ...]) -> list[Callable[[], Runner]]:
    """Constructors of the chosen tools' runners, the slowest tool (checkov) first so it starts first."""
    versions = cachedir.base_dir() / "gate"
    factories: dict[Tool, Callable[[], Runner]] = {
        Tool.CHECKOV: lambda: Checkov(root, versions),
        Tool.CFN_LINT: lambda: CfnLint(root),
        Tool.CFN_GUARD: lambda: CfnGuard(root),
        Tool.IAM_ESCALATION: lambda: IamEscalation(root),
    }
    return [factory for tool, factory in factories.items() if tool in tools]


def make_runners(root: Path, tools: tuple[Tool, ...]) -> list[Runner]:
    return [factory() for factory in runner_factories(root, tools)]


def _skipped(runner: Runner, target: Target) -> bool:
    return target.doc is None and runner.tool is not Tool.CFN_LINT  # not YAML: only cfn-lint reports it (E0000)


def _scan(make: Callable[[], Runner], cache: GateCache, targets: list[Target]) -> tuple[Tool, list[Finding], ToolRun]:
    """Findings of one tool over the targets: cached ones, then one process over the rest (identical bytes once)."""
    runner = make()
    stats = ToolRun(version=runner.version)
    findings: list[Finding] = []
    misses: dict[str, Target] = {}
    pending: list[Target] = []
    digests = {t.product: runner.digest(t) for t in targets}
    for target in targets:
        hit = cache.get(runner.tool, runner.fingerprint, target, digests[target.product])
        if hit is not None:
            stats.cache_hits += 1
            findings += hit
        elif not _skipped(runner, target):  # parses the template only when it must be scanned
            misses.setdefault(digests[target.product], target)
            pending.append(target)
    if not misses:
        return runner.tool, findings, stats
    batch = list(misses.values())
    out = run_batch(runner, batch)
    stats.seconds = out.seconds
    stats.scanned = len(batch)
    parsed = runner.parse(out, batch)
    for target in batch:
        cache.put(runner.tool, runner.fingerprint, target, parsed[target.product], digests[target.product])
    for target in pending:  # scanned now, or the same inputs as a scanned template: label with this product
        found = parsed[misses[digests[target.product]].product]
        findings += [replace(f, product=target.product, template=target.rel) for f in found]
    return runner.tool, findings, stats


def _facts(cache: GateCache, target: Target) -> tuple[str, list[Finding]]:
    """The template's tier and inline-suppression findings, from the cache when its bytes are known."""
    known = cache.get_facts(target)
    if known is not None:
        return known
    tier, inline = target.tier, inline_suppressions(target)
    cache.put_facts(target, tier, inline)
    return tier, inline


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    out = []
    for f in findings:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return sorted(out, key=lambda f: (f.product, f.tool.value, f.rule_id, f.resource, f.line))


def run_gate(
    repo: Repo, paths: Sequence[str | Path] = (), use_cache: bool = True, tools: tuple[Tool, ...] = tuple(Tool)
) -> GateResult:
    """Gate the products PATHS name (configs, names, templates or product folders; none: every product)."""
    targets = resolve_targets(repo, [str(p) for p in paths])
    return gate_targets(repo.root, targets, GateOptions(use_cache=use_cache, tools=tools))


def gate_targets(root: Path, targets: list[Target], options: GateOptions | None = None) -> GateResult:
    """Gate the targets; waivers.yaml problems raise (bad input) or land in ``waiver_problems`` (failing)."""
    options = options or GateOptions()
    started = time.perf_counter()
    waivers, problems = load_waivers(root)
    factories = runner_factories(root, options.tools)
    cache = GateCache(cache_dir(root), enabled=True, secret=cachedir.key(cachedir.base_dir())) if options.use_cache \
        else GateCache(Path(), enabled=False)
    findings: list[Finding] = []
    result = GateResult(products=[t.product for t in targets], waiver_problems=problems)
    with ThreadPoolExecutor(max_workers=len(factories) or 1) as pool:
        futures = [pool.submit(_scan, make, cache, targets) for make in factories]
        tiers: dict[str, str] = {}
        labels: list[Finding] = []  # a template tier label that is not its config's: never waived
        for target in targets:  # while the tools run
            label, inline = _facts(cache, target)
            tiers[target.product], mismatch = tierlabel.check(target, label)
            labels += mismatch
            findings += [f for f in inline if f.tool in options.tools]
        scans = {tool: (found, stats) for tool, found, stats in (f.result() for f in futures)}
    for tool in Tool:  # reported in a fixed order
        if tool in scans:
            findings += scans[tool][0]
            result.tools[tool.value] = scans[tool][1]
            result.tool_versions[tool.value] = scans[tool][1].version
    open_, waived, counts = apply_waivers(_dedupe(findings), waivers, lambda p: tiers.get(p, ""))
    result.findings = sorted(labels + open_, key=lambda f: (f.product, f.tool.value, f.rule_id, f.resource, f.line))
    result.waived = waived
    result.active_waivers = waivers
    # "unused" only means something when every tool ran: `--tool iam-escalation` leaves the others' waivers unmatched
    result.warnings = unused_warnings(waivers, counts, tiers) if set(options.tools) == set(Tool) else []
    result.cache_hits = sum(s.cache_hits for s in result.tools.values())
    result.scanned = sum(s.scanned for s in result.tools.values())
    result.seconds = time.perf_counter() - started
    return result
