"""Units: replacement prediction, the preview's comment limit, native drift detection through a Stubber."""

from __future__ import annotations

from botocore.stub import Stubber
from mlprov.aws import nativedrift
from mlprov.aws.preview import COMMENT_LIMIT, build, markdown
from mlprov.aws.replacement import predict
from mlprov.aws.session import Aws, Target
from mlprov.aws.stack import Poller
from mlprov.render.inventory import STATEFUL


def _template(group_name: str, param_value: object) -> dict[str, object]:
    return {"Resources": {
        "ModelPackageGroup": {"Type": "AWS::SageMaker::ModelPackageGroup", "Properties": {"ModelPackageGroupName": group_name}},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {}},
        "Sub": {"Type": "AWS::SNS::Subscription", "Properties": {"TopicArn": {"Ref": "ModelPackageGroup"}, "Protocol": "email"}},
        "Param": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": param_value}},
    }}


def test_prediction_replaces_on_create_only_and_cascades_conditionally() -> None:
    got = predict(_template("a", "x"), _template("b", "y"))
    assert (got["ModelPackageGroup"].replacement, got["ModelPackageGroup"].causes) == ("True", ["ModelPackageGroupName"])
    assert (got["Sub"].replacement, got["Sub"].causes) == ("Conditional", ["TopicArn"])
    assert (got["Param"].action, got["Param"].replacement) == ("Modify", "False")
    assert "Topic" not in got


def test_cloudformation_replacement_merges_with_prediction_and_flags_data_loss() -> None:
    details = [{"Target": {"Name": "Name", "RequiresRecreation": "Always"}}]
    changes = [
        {"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "Param",
                                                "ResourceType": "AWS::SSM::Parameter", "Replacement": "True", "Details": details}},
        {"Type": "Resource", "ResourceChange": {"Action": "Remove", "LogicalResourceId": "KmsKey", "ResourceType": "AWS::KMS::Key"}},
    ]
    types = {"ModelPackageGroup": "AWS::SageMaker::ModelPackageGroup", "Sub": "AWS::SNS::Subscription"}
    preview = build("p", "s", "UPDATE", changes, predicted=predict(_template("a", "x"), _template("b", "x")), types=types,
                    stateful=STATEFUL)
    assert preview.counts == {"add": 0, "modify": 0, "replace": 3, "remove": 1, "adopt": 0}
    assert [r.logical_id for r in preview.data_loss] == ["KmsKey", "ModelPackageGroup"]
    assert next(r for r in preview.rows if r.logical_id == "Param").causes == ["Name"]


def test_markdown_fits_a_github_comment_summary_first() -> None:
    long_type = "AWS::SSM::Parameter" + "x" * 80
    changes = [{"ResourceChange": {"Action": "Add", "LogicalResourceId": f"Resource{i:04d}", "ResourceType": long_type}}
               for i in range(2000)]
    preview = build("p", "s", "CREATE", changes, predicted={}, types={}, stateful=STATEFUL)
    text = markdown(preview)
    assert len(text) <= COMMENT_LIMIT
    assert "**2000** to add" in text.splitlines()[3]
    assert text.rstrip().endswith("more change(s) not shown (comment limit); see changes.json in the reports._")


def test_native_drift_detection_reads_every_page() -> None:
    aws = Aws(Target(region="us-east-1", endpoint_url="http://127.0.0.1:9"))
    stub = Stubber(aws.cfn)
    stub.add_response("detect_stack_drift", {"StackDriftDetectionId": "d-1"}, {"StackName": "s"})
    base = {"StackId": "arn:s", "StackDriftDetectionId": "d-1", "Timestamp": "2026-01-01T00:00:00Z"}
    stub.add_response("describe_stack_drift_detection_status", {**base, "DetectionStatus": "DETECTION_IN_PROGRESS"})
    done = {**base, "DetectionStatus": "DETECTION_COMPLETE", "StackDriftStatus": "DRIFTED"}
    stub.add_response("describe_stack_drift_detection_status", done)
    drift = {"StackId": "arn:s", "ResourceType": "AWS::S3::Bucket", "Timestamp": "2026-01-01T00:00:00Z"}
    stub.add_response("describe_stack_resource_drifts", {"NextToken": "n", "StackResourceDrifts": [
        {**drift, "LogicalResourceId": "ArtifactsBucket", "StackResourceDriftStatus": "MODIFIED", "PropertyDifferences": [
            {"PropertyPath": "/VersioningConfiguration/Status", "ExpectedValue": "Enabled", "ActualValue": "Suspended",
             "DifferenceType": "NOT_EQUAL"}]}]})
    stub.add_response("describe_stack_resource_drifts", {"StackResourceDrifts": [
        {**drift, "LogicalResourceId": "KmsKey", "StackResourceDriftStatus": "DELETED"}]}, {"StackName": "s", "NextToken": "n"})
    with stub:
        got = nativedrift.detect(aws.cfn, "s", Poller(local=True, sleep=lambda _s: None))
    assert got["ArtifactsBucket"][0] == "DRIFTED"
    assert got["ArtifactsBucket"][1][0].property == "/VersioningConfiguration/Status"
    assert got["ArtifactsBucket"][1][0].actual == "Suspended" and got["ArtifactsBucket"][1][0].source == "cloudformation"
    assert got["KmsKey"] == ("DELETED", [])
    stub.assert_no_pending_responses()


def test_create_only_paths_nested_and_unknown_types() -> None:
    from mlprov.aws.replacement import create_only

    assert "BucketName" in create_only("AWS::S3::Bucket")
    endpoint = create_only("AWS::EC2::VPCEndpoint")
    assert {"ServiceName", "VpcId", "DnsOptions/PrivateDnsPreference"} <= endpoint and "DnsOptions" not in endpoint
    assert create_only("AWS::Nope::Thing") == frozenset()
