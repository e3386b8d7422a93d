"""Create or update the product's SageMaker Pipeline and start it (run by the build project, see buildspec.yml).

Environment (set by the stack on the build project): NAME_PREFIX (the pipeline is ``<NAME_PREFIX>-pipeline``),
SAGEMAKER_PIPELINE_ROLE_ARN, ARTIFACT_BUCKET, JOB_PREFIX, IMAGE_URI, MODEL_PACKAGE_GROUP_NAME. Code goes to the artifacts bucket under
``<pipeline>/code/<sha256 of the scripts>/`` (content-addressed: an unchanged commit reuses its upload).
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import tarfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from definition import Settings, as_json  # type: ignore[import-not-found,no-redef]
else:
    from .definition import Settings, as_json

SCRIPTS = Path(__file__).resolve().parent / "scripts"
REQUIRED = ("NAME_PREFIX", "SAGEMAKER_PIPELINE_ROLE_ARN", "ARTIFACT_BUCKET", "JOB_PREFIX", "IMAGE_URI",
            "MODEL_PACKAGE_GROUP_NAME")


def _sourcedir() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for path in sorted(SCRIPTS.glob("*.py")):
            info = tarfile.TarInfo(path.name)
            data = path.read_bytes()
            info.size, info.mtime = len(data), 0
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def upload_code(s3: Any, bucket: str, pipeline: str) -> str:
    """Upload the scripts; return the key prefix they live under."""
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(SCRIPTS.glob("*.py")))).hexdigest()[:16]
    prefix = f"{pipeline}/code/{digest}"
    for path in sorted(SCRIPTS.glob("*.py")):
        s3.put_object(Bucket=bucket, Key=f"{prefix}/scripts/{path.name}", Body=path.read_bytes())
    s3.put_object(Bucket=bucket, Key=f"{prefix}/sourcedir.tar.gz", Body=_sourcedir())
    return prefix


def _exists(sagemaker: Any, name: str) -> bool:
    """DescribePipeline finds it; AWS documents ResourceNotFound for a missing pipeline (some endpoints answer
    ValidationException "Could not find pipeline"); anything else is raised."""
    try:
        sagemaker.describe_pipeline(PipelineName=name)
    except sagemaker.exceptions.ClientError as exc:
        error = exc.response.get("Error", {})
        if error.get("Code") == "ResourceNotFound" or "Could not find" in str(error.get("Message", "")):
            return False
        raise
    return True


def run(sagemaker: Any, s3: Any, env: Mapping[str, str]) -> str:
    """Upsert the pipeline and start one execution; return the execution ARN."""
    missing = [k for k in REQUIRED if not env.get(k)]
    if missing:
        raise SystemExit(f"model-build: environment variables missing: {', '.join(missing)} (set by the build project)")
    name, role = f"{env['NAME_PREFIX']}-pipeline", env["SAGEMAKER_PIPELINE_ROLE_ARN"]
    prefix = upload_code(s3, env["ARTIFACT_BUCKET"], name)
    body = as_json(Settings(env["JOB_PREFIX"], role, env["ARTIFACT_BUCKET"], env["IMAGE_URI"],
                            env["MODEL_PACKAGE_GROUP_NAME"], prefix))
    if _exists(sagemaker, name):
        sagemaker.update_pipeline(PipelineName=name, PipelineDefinition=body, RoleArn=role)
    else:
        sagemaker.create_pipeline(PipelineName=name, PipelineDefinition=body, RoleArn=role,
                                  PipelineDescription="model-build: preprocess, train, evaluate, register")
    arn: str = sagemaker.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
    print(f"started {arn}")
    return arn


if __name__ == "__main__":
    import boto3

    run(boto3.client("sagemaker"), boto3.client("s3"), os.environ)
