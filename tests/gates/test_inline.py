"""Inline suppressions (cfn-lint, checkov, guard) become MLPROV_INLINE_SUPPRESSION findings of the tool they target."""

from __future__ import annotations

from pathlib import Path

from mlprov.gates.inline import inline_suppressions
from mlprov.gates.model import Severity, Tool
from mlprov.gates.targets import Target

TEMPLATE = """\
Metadata:
  cfn-lint:
    config:
      ignore_checks: [W3005]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      checkov:
        skip:
          - id: CKV_AWS_18
            comment: logs elsewhere
      guard:
        SuppressedRules: [s3_bucket_object_lock_enabled_check]
      cfn-lint:
        config:
          ignore_checks: [E3002]
    Properties:
      BucketName: x # checkov:skip=CKV_AWS_21:versioning elsewhere
  Topic:
    Type: AWS::SNS::Topic
"""


REFUSED = "is refused: suppressions live in waivers.yaml"


def target(text: str) -> Target:
    return Target("p1", Path("/r/products/p1/template.yaml"), "products/p1/template.yaml", text.encode())


def test_every_kind_of_inline_suppression_is_a_finding() -> None:
    found = inline_suppressions(target(TEMPLATE))
    assert [(f.tool, f.resource, f.line, f.message) for f in found] == [
        (Tool.CFN_LINT, "", 0,
         f"inline suppression Metadata.cfn-lint.config.ignore_checks [W3005] in the template {REFUSED}"),
        (Tool.CFN_LINT, "Bucket", 0,
         f"inline suppression Metadata.cfn-lint.config.ignore_checks [E3002] in resource Bucket {REFUSED}"),
        (Tool.CHECKOV, "Bucket", 0,
         "inline suppression Metadata.checkov.skip [CKV_AWS_18] in resource Bucket is refused: suppressions live in waivers.yaml"),
        (Tool.CFN_GUARD, "Bucket", 0,
         "inline suppression Metadata.guard.SuppressedRules [s3_bucket_object_lock_enabled_check] in resource Bucket is refused: "
         "suppressions live in waivers.yaml"),
        (Tool.CHECKOV, "Bucket", 19,
         "inline suppression comment checkov:skip=CKV_AWS_21 in resource Bucket is refused: suppressions live in waivers.yaml"),
    ]
    assert {f.rule_id for f in found} == {"MLPROV_INLINE_SUPPRESSION"}
    assert {f.severity for f in found} == {Severity.HIGH}
    assert [f.pack for f in found] == ["", "", "", "mlprov", ""]
    assert all(f.fix.startswith("remove the inline suppression") for f in found)


def test_clean_templates_and_unparseable_ones_have_none() -> None:
    assert inline_suppressions(target("Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Metadata: {owner: me}\n")) == []
    assert inline_suppressions(target("Resources: [\n")) == []
