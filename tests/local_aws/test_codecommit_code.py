"""The local CodeCommit model honours ``Code``: the zip's files are the first commit on the branch; an unreadable,
non-zip or escaping archive fails the repository's create (the stack rolls back) and leaves no repository."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from mlprov.seeds.archive import archive

from tests.conftest import REPO
from tests.local_aws.conftest import failure, via_change_set

BUCKET = "mlprov-codecommit-code-test"


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _repo(name: str, key: str, branch: str | None = None) -> dict[str, Any]:
    code: dict[str, Any] = {"S3": {"Bucket": BUCKET, "Key": key}}
    if branch:
        code["BranchName"] = branch
    return {"Resources": {"Repo": {"Type": "AWS::CodeCommit::Repository",
                                   "Properties": {"RepositoryName": name, "Code": code}}}}


@pytest.fixture
def s3(aws: Callable[[str], Any]) -> Any:
    client = aws("s3")
    if BUCKET not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return client


def test_code_becomes_the_first_commit_on_its_branch(aws: Callable[[str], Any], s3: Any) -> None:
    made = archive("model-deploy")
    s3.put_object(Bucket=BUCKET, Key=made.key, Body=made.data)
    via_change_set(aws("cloudformation"), "cc-code-ok", _repo("cc-code-ok", made.key, branch="trunk"))
    cc = aws("codecommit")
    assert cc.get_repository(repositoryName="cc-code-ok")["repositoryMetadata"]["defaultBranch"] == "trunk"
    commit = cc.get_branch(repositoryName="cc-code-ok", branchName="trunk")["branch"]["commitId"]
    got = cc.get_file(repositoryName="cc-code-ok", filePath="deploy.py")  # default: the default branch
    assert got["commitId"] == commit and got["fileMode"] == "NORMAL"
    assert got["fileContent"] == (REPO / "seeds" / "model-deploy" / "deploy.py").read_bytes()
    assert cc.get_file(repositoryName="cc-code-ok", commitSpecifier=commit, filePath="/buildspec.yml")["fileSize"] == len(
        (REPO / "seeds" / "model-deploy" / "buildspec.yml").read_bytes())
    with pytest.raises(cc.exceptions.BranchDoesNotExistException):
        cc.get_branch(repositoryName="cc-code-ok", branchName="main")
    with pytest.raises(cc.exceptions.RepositoryDoesNotExistException):
        cc.get_branch(repositoryName="cc-code-none", branchName="main")


@pytest.mark.parametrize(("stack", "body", "reason"), [
    ("cc-code-missing", None, "does not exist; the repository cannot be created from code it cannot read"),
    ("cc-code-notzip", b"not a zip at all", "is not a zip file"),
    ("cc-code-escape", _zip({"../../etc/passwd": b"x"}), "holds paths outside the repository"),
])
def test_an_unusable_archive_fails_the_create_and_leaves_no_repository(aws: Callable[[str], Any], s3: Any, stack: str,
                                                                     body: bytes | None, reason: str) -> None:
    key = f"seeds/{stack}.zip"
    if body is not None:
        s3.put_object(Bucket=BUCKET, Key=key, Body=body)
    cfn = aws("cloudformation")
    via_change_set(cfn, stack, _repo(stack, key))
    status, why = failure(cfn, stack)
    assert status == "ROLLBACK_COMPLETE"
    assert why == f"Code.S3: s3://{BUCKET}/{key} {reason} (Service: InvalidRequest)"
    with pytest.raises(aws("codecommit").exceptions.RepositoryDoesNotExistException):
        aws("codecommit").get_repository(repositoryName=stack)
