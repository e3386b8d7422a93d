"""A CodeCommit repository's ``Code`` on the local endpoint: the first commit from an S3 zip, and the two read
actions a test needs to see it (moto's CodeCommit has repositories only: no branches, commits or files).

What AWS does: CloudFormation's create handler reads the zip named by ``Code.S3`` (registry schema of
AWS::CodeCommit::Repository: s3:GetObject among the create handler's permissions) and commits its files to
``Code.BranchName`` (default ``main``), the repository's default branch; ``Code`` is "only used in resource
creation" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-codecommit-repository-code.html),
so an update never changes the files. A missing object or bucket fails the create: the resource cannot be created
from code it cannot read (the failure's exact wording on AWS is not documented; the message here is ours).

Modelled, the minimum: one commit per seeded repository, its id the SHA-1 of the zip, held on the repository object
(``mlprov_branches``: branch -> (commit id, {path: bytes}); :func:`read` before the repository exists, :func:`attach`
after); ``GetBranch`` and ``GetFile`` answer from it with CodeCommit's shapes and error codes
(``BranchDoesNotExistException``, ``FileDoesNotExistException``). No trees, blobs, merges or pushes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from typing import Any

from mlprov.local_aws.cfnmodel import service_error

DEFAULT_BRANCH = "main"


def _object(account_id: str, bucket: str, key: str) -> bytes:
    from moto.s3.exceptions import MissingBucket  # noqa: PLC0415
    from moto.s3.models import s3_backends  # noqa: PLC0415

    try:
        found = s3_backends[account_id]["aws"].get_object(bucket, key)
    except MissingBucket:
        found = None
    if found is None:
        raise service_error("InvalidRequest", f"Code.S3: s3://{bucket}/{key} does not exist; the repository cannot be "
                                              "created from code it cannot read")
    return bytes(found.value)


def files_of(data: bytes, where: str) -> dict[str, bytes]:
    """The regular files of a zip, by path; a zip that is not one, or that escapes its root, is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = [i.filename for i in zf.infolist() if not i.is_dir()]
            if any(n.startswith("/") or ".." in n.split("/") for n in names):
                raise service_error("InvalidRequest", f"Code.S3: {where} holds paths outside the repository")
            return {n: zf.read(n) for n in names}
    except zipfile.BadZipFile as exc:
        raise service_error("InvalidRequest", f"Code.S3: {where} is not a zip file") from exc


def read(code: dict[str, Any], account_id: str) -> tuple[str, str, dict[str, bytes]]:
    """(branch, commit id, files) of ``Code`` (S3 Bucket/Key, optional BranchName); refused when unreadable, before
    anything is created."""
    s3 = code.get("S3") or {}
    bucket, key = str(s3.get("Bucket", "")), str(s3.get("Key", ""))
    data = _object(account_id, bucket, key)
    commit = hashlib.sha1(data).hexdigest()  # noqa: S324 - an id, as git's are SHA-1
    return str(code.get("BranchName") or DEFAULT_BRANCH), commit, files_of(data, f"s3://{bucket}/{key}")


def attach(repo: Any, seeded: tuple[str, str, dict[str, bytes]]) -> None:
    """Make ``seeded`` the repository's first commit, on its default branch."""
    branch, commit, files = seeded
    repo.mlprov_branches = {branch: (commit, files)}
    repo.repository_metadata["defaultBranch"] = branch


def _repo(response: Any) -> Any:
    from moto.codecommit.exceptions import RepositoryDoesNotExistException  # noqa: PLC0415

    name = str(response._get_param("repositoryName"))
    repo = response.codecommit_backend.repositories.get(name)
    if repo is None:
        raise RepositoryDoesNotExistException(name)
    return repo


def _branch(repo: Any, name: str) -> tuple[str, dict[str, bytes]]:
    from moto.core.exceptions import JsonRESTError  # noqa: PLC0415

    branches: dict[str, tuple[str, dict[str, bytes]]] = getattr(repo, "mlprov_branches", {})
    if name not in branches:
        raise JsonRESTError("BranchDoesNotExistException", f"Branch '{name}' does not exist")
    return branches[name]


def get_branch(_original: Any) -> Any:
    """CodeCommit GetBranch, which moto lacks."""

    def action(self: Any) -> str:
        repo = _repo(self)
        name = str(self._get_param("branchName"))
        commit, _files = _branch(repo, name)
        return json.dumps({"branch": {"branchName": name, "commitId": commit}})

    return action


def get_file(_original: Any) -> Any:
    """CodeCommit GetFile (``commitSpecifier`` a branch name or the commit id; default the default branch)."""

    def action(self: Any) -> str:
        from moto.core.exceptions import JsonRESTError  # noqa: PLC0415

        repo = _repo(self)
        spec = str(self._get_param("commitSpecifier") or repo.repository_metadata.get("defaultBranch", DEFAULT_BRANCH))
        branches: dict[str, tuple[str, dict[str, bytes]]] = getattr(repo, "mlprov_branches", {})
        by_commit = {c: (c, f) for c, f in branches.values()}
        commit, files = by_commit[spec] if spec in by_commit else _branch(repo, spec)
        path = str(self._get_param("filePath")).lstrip("/")
        if path not in files:
            raise JsonRESTError("FileDoesNotExistException", f"The file {path} does not exist in the commit {commit}")
        body = files[path]
        return json.dumps({"commitId": commit, "blobId": hashlib.sha1(b"blob %d\0" % len(body) + body).hexdigest(),  # noqa: S324
                           "filePath": path, "fileMode": "NORMAL", "fileSize": len(body),
                           "fileContent": base64.b64encode(body).decode()})

    return action
