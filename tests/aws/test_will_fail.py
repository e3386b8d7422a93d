"""Replacements of custom-named resources: predicted as WILL FAIL (AWS refuses them), and no config value users
expect to edit reaches a create-only property (audited against the registry schemas' createOnlyProperties)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from mlprov.aws.preview import build, markdown, table
from mlprov.aws.replacement import create_only, named_replacements, predict
from mlprov.config.loader import load_product
from mlprov.render.engine import render
from mlprov.render.inventory import STATEFUL

REPO = Path(__file__).resolve().parents[2]
ONE_PER_TIER = ("startupco-dev-s001-us-east-1-fraud-detection-ml-codecommit",
                "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit",
                "globalbank-prod-b002-eu-west-1-demand-forecasting-ml-codecommit-standalone-direct",
                "globalbank-prod-b007-eu-west-1-demand-forecasting-ml-s3-existing-ssm")
# The config values users expect to edit in place, and an edit of each.
EDITS: dict[str, Any] = {
    "description": "Edited free-text description",
    "owner": "someone-else@example.com",
    "cost_center": "CC-9999",
    "tags": {"data-classification": "internal", "team": "edited"},
    "log_retention_days": 3653,
    "alarm_email": "new-alerts@example.com",
}


def _template(path: Path, edit: dict[str, Any] | None = None) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    data.update(edit or {})
    edited = path.parent / "edited" / path.name
    edited.parent.mkdir(exist_ok=True)
    edited.write_text(yaml.safe_dump(data, sort_keys=False))
    return render(load_product(edited))[1]


@pytest.mark.parametrize("name", ONE_PER_TIER)
@pytest.mark.parametrize("field", sorted(EDITS))
def test_editable_config_values_never_reach_a_create_only_property(name: str, field: str, tmp_path: Path) -> None:
    source = tmp_path / f"{name}.yaml"
    source.write_text((REPO / "products" / f"{name}.yaml").read_text())
    data = yaml.safe_load(source.read_text())
    if field in {"log_retention_days", "alarm_email"} and field not in data:
        pytest.skip(f"{name} has no {field}")
    before, after = _template(source), _template(source, {field: EDITS[field]})
    assert load_product(tmp_path / "edited" / source.name).config[field] == EDITS[field]  # the edit was made
    changed = predict(before, after)
    if not changed:  # the value reaches no resource (e.g. description, since the model registry's is name-derived)
        assert before == after
    replaced = {lid: p.causes for lid, p in changed.items() if p.replacement != "False"}
    # The one create-only property an edit reaches: the alarm e-mail is the Endpoint of the (unnamed, stateless)
    # SNS subscriptions (enterprise's security alerts, the failed-builds alarm's topic); AWS replaces them (a new
    # subscription, to confirm by e-mail), which succeeds and loses no data.
    subscriptions = [lid for lid in ("SecurityAlertsSubscription", "AlarmSubscription") if lid in before["Resources"]]
    allowed = {lid: ["Endpoint"] for lid in subscriptions} if field == "alarm_email" else {}
    assert replaced == allowed, f"editing {field} replaces {replaced}"
    assert not set(replaced) & STATEFUL
    assert named_replacements(before, after) == {}


def test_the_model_registry_description_is_create_only_and_not_the_config_description(tmp_path: Path) -> None:
    assert "ModelPackageGroupDescription" in create_only("AWS::SageMaker::ModelPackageGroup")
    source = tmp_path / f"{ONE_PER_TIER[0]}.yaml"
    source.write_text((REPO / "products" / f"{ONE_PER_TIER[0]}.yaml").read_text())
    group = _template(source)["Resources"]["ModelPackageGroup"]["Properties"]
    assert group["ModelPackageGroupDescription"] == f"Model registry of {group['ModelPackageGroupName']}"


def _group(description: str, name: str = "g") -> dict[str, Any]:
    return {"Resources": {"ModelPackageGroup": {"Type": "AWS::SageMaker::ModelPackageGroup", "Properties": {
        "ModelPackageGroupName": name, "ModelPackageGroupDescription": description}}}}


def test_a_replacement_under_the_same_custom_name_will_fail_and_a_rename_will_not() -> None:
    assert named_replacements(_group("a"), _group("b")) == {"ModelPackageGroup": "g"}
    assert named_replacements(_group("a"), _group("b", name="g2")) == {}  # renamed: AWS creates the new one first
    unnamed = copy.deepcopy(_group("a"))
    del unnamed["Resources"]["ModelPackageGroup"]["Properties"]["ModelPackageGroupName"]
    assert named_replacements(unnamed, {"Resources": {"ModelPackageGroup": {
        "Type": "AWS::SageMaker::ModelPackageGroup", "Properties": {"ModelPackageGroupDescription": "b"}}}}) == {}


def test_the_preview_marks_will_fail_with_the_way_out() -> None:
    old, new = _group("a"), _group("b")
    types = {"ModelPackageGroup": "AWS::SageMaker::ModelPackageGroup"}
    preview = build("p", "s", "UPDATE", [], predicted=predict(old, new), types=types, stateful=STATEFUL,
                    named=named_replacements(old, new))
    assert [r.logical_id for r in preview.will_fail] == ["ModelPackageGroup"]
    assert preview.to_json()["will_fail"] == ["ModelPackageGroup"]
    assert table(preview).splitlines()[1] == (
        "WILL FAIL: ModelPackageGroup (AWS::SageMaker::ModelPackageGroup) would be replaced under its custom name g, which AWS "
        "refuses; rename it (a new name is created first), or remove it from the stack and then add it back")
    assert ":no_entry: **WILL FAIL**: `ModelPackageGroup`" in markdown(preview)


def test_the_preview_lists_adoptions() -> None:
    changes = [{"Type": "Resource", "ResourceChange": {"Action": "Import", "LogicalResourceId": "ArtifactsBucket",
                                                       "ResourceType": "AWS::S3::Bucket", "PhysicalResourceId": "b1"}}]
    preview = build("p", "s", "CREATE", changes, predicted={}, types={}, stateful=STATEFUL)
    assert preview.counts["adopt"] == 1 and preview.data_loss == []
    assert table(preview).splitlines()[:2] == ["s (CREATE): 0 to add, 0 to modify, 0 to replace, 0 to remove, 1 to adopt",
                                               "adopts retained AWS::S3::Bucket b1 as ArtifactsBucket"]
