"""Policy gates: cfn-lint, cfn-guard (our pack + AWS Control Tower rules) and checkov in one fast gate."""
