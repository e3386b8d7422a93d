"""Policy gates: cfn-lint, cfn-guard (our pack + AWS Control Tower rules), checkov and iam-escalation in one fast gate."""
