"""Predict replacements by diffing the deployed template against the new one.

moto reports ``Replacement: null`` on every change, so the preview never relies on it alone: a changed
property listed in its type's ``createOnlyProperties`` (registry schemas shipped by cfn-lint) replaces the
resource; a changed create-only property whose new value refers to a resource being replaced may
replace it ("Conditional"). The result is merged with what CloudFormation reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

RANK = {"": 0, "False": 0, "Conditional": 1, "True": 2}


@dataclass
class Predicted:
    action: str  # Add, Modify, Remove
    replacement: str = "False"  # True, Conditional, False
    causes: list[str] = field(default_factory=list)


@cache
def create_only(resource_type: str) -> frozenset[str]:
    """Top-level and nested property paths (``A`` or ``A/B``) that cannot change without replacement."""
    from mlprov.errors import UserError  # noqa: PLC0415
    from mlprov.policy.registry import create_only_paths  # noqa: PLC0415

    try:
        return frozenset(create_only_paths(resource_type))
    except UserError:  # a type the registry schemas do not know: nothing known to be create-only
        return frozenset()


def _changed_paths(old: Any, new: Any, base: str = "") -> list[str]:
    """Paths (``A``, ``A/B``) whose values differ; lists compare whole."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[str] = []
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                path = f"{base}/{key}" if base else str(key)
                sub = _changed_paths(old.get(key), new.get(key), path)
                out += [path, *sub]
        return out
    return []


def _refs(value: Any) -> set[str]:
    """Logical ids a value refers to through Ref / Fn::GetAtt / Fn::Sub."""
    found: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "Ref" and isinstance(v, str):
                found.add(v)
            elif k == "Fn::GetAtt":
                found.add(v[0] if isinstance(v, list) else str(v).split(".")[0])
            found |= _refs(v)
    elif isinstance(value, list):
        for item in value:
            found |= _refs(item)
    return found


def predict(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Predicted]:
    """Logical id -> predicted change, for every resource that differs."""
    old_r: dict[str, Any] = old.get("Resources", {})
    new_r: dict[str, Any] = new.get("Resources", {})
    out: dict[str, Predicted] = {}
    for lid in sorted(set(new_r) - set(old_r)):
        out[lid] = Predicted("Add")
    for lid in sorted(set(old_r) - set(new_r)):
        out[lid] = Predicted("Remove")
    for lid in sorted(set(old_r) & set(new_r)):
        o, n = old_r[lid], new_r[lid]
        if o == n:
            continue
        if o.get("Type") != n.get("Type"):
            out[lid] = Predicted("Modify", "True", ["Type"])
            continue
        changed = _changed_paths(o.get("Properties", {}), n.get("Properties", {}))
        fixed = create_only(str(n.get("Type")))
        causes = [p for p in changed if p in fixed]
        out[lid] = Predicted("Modify", "True" if causes else "False", causes)
    # A create-only property that refers to a replaced resource gets a new value at deploy time.
    replaced = {lid for lid, p in out.items() if p.replacement == "True"}
    for lid in sorted(set(old_r) & set(new_r)):
        if lid in replaced:
            continue
        props = new_r[lid].get("Properties", {})
        fixed = create_only(str(new_r[lid].get("Type")))
        causes = sorted(k for k in props if k in fixed and _refs(props[k]) & replaced)
        if causes:
            p = out.setdefault(lid, Predicted("Modify"))
            if p.replacement == "False":
                p.replacement = "Conditional"
            p.causes = sorted(set(p.causes) | set(causes))
    return out


# The property each type takes its custom name from (CloudFormation Template Reference, "Name type": the resource
# types that support custom names). "If you specify a name, you cannot perform updates that require replacement of
# this resource": AWS fails such an update ("CloudFormation cannot update a stack when a custom-named resource
# requires replacing"), whatever --allow-data-loss says.
NAME_PROPERTIES: dict[str, str] = {
    "AWS::S3::Bucket": "BucketName", "AWS::Logs::LogGroup": "LogGroupName", "AWS::SNS::Topic": "TopicName",
    "AWS::CodeCommit::Repository": "RepositoryName", "AWS::SageMaker::ModelPackageGroup": "ModelPackageGroupName",
    "AWS::IAM::Role": "RoleName", "AWS::IAM::ManagedPolicy": "ManagedPolicyName", "AWS::CodeBuild::Project": "Name",
    "AWS::CodePipeline::Pipeline": "Name", "AWS::SSM::Parameter": "Name", "AWS::CloudWatch::Dashboard": "DashboardName",
    "AWS::CloudWatch::Alarm": "AlarmName", "AWS::Events::Rule": "Name", "AWS::KMS::Alias": "AliasName",
    "AWS::EC2::SecurityGroup": "GroupName", "AWS::Logs::MetricFilter": "FilterName",
}


def named_replacements(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Logical id -> custom name, for each resource the update would replace while keeping its custom name: the
    updates AWS refuses. A renamed resource is a replacement AWS allows (the new name is created first)."""
    old_r: dict[str, Any] = old.get("Resources", {})
    new_r: dict[str, Any] = new.get("Resources", {})
    out: dict[str, str] = {}
    for lid, change in predict(old, new).items():
        if change.replacement != "True" or lid not in old_r or lid not in new_r:
            continue
        prop = NAME_PROPERTIES.get(str(new_r[lid].get("Type")), "")
        before = (old_r[lid].get("Properties") or {}).get(prop)
        after = (new_r[lid].get("Properties") or {}).get(prop)
        if prop and after is not None and after == before:
            out[lid] = after if isinstance(after, str) else str(after)
    return out
