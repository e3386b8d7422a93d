"""CodePipeline executions, which moto lacks: StartPipelineExecution and GetPipelineExecution, running the Source
stage's Amazon S3 source actions only (listed in :mod:`mlprov.local_aws.patches`).

Why: AWS accepts a pipeline whose S3 source bucket is missing or unversioned (CreatePipeline does not look at a source
action's bucket); what fails is the execution's Source action. AWS: the Amazon S3 source action needs "an Amazon S3
bucket configured for versioning" and the source object uploaded before the pipeline runs (AWS CodePipeline User
Guide, "Amazon S3 source action reference"); a failed action fails its stage and the execution ("Failed", User Guide,
"View pipeline executions": execution statuses). The failure texts are S3's documented error messages where S3 is the
cause (S3 API Reference, Error responses: NoSuchBucket "The specified bucket does not exist", NoSuchKey "The specified
key does not exist."); the unversioned case has no documented wording: "The S3 bucket <b> is not versioned; the Amazon
S3 source action requires a versioned bucket" is ours. Later stages are not run locally: an execution whose Source
stage succeeds stays ``InProgress`` (its ``statusSummary`` says so); no build ever runs here.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

_EXECUTIONS: dict[str, dict[str, Any]] = {}  # execution id -> GetPipelineExecution's pipelineExecution
NOT_VERSIONED = "The S3 bucket {bucket} is not versioned; the Amazon S3 source action requires a versioned bucket"


def source_failure(account_id: str, action: dict[str, Any]) -> str | None:
    """Why an Amazon S3 source action fails (None: it succeeds)."""
    from moto.s3.models import s3_backends  # noqa: PLC0415

    config = action.get("configuration") or {}
    bucket = s3_backends[account_id]["aws"].buckets.get(str(config.get("S3Bucket", "")))
    if bucket is None:
        return "The specified bucket does not exist"
    if bucket.versioning_status != "Enabled":
        return NOT_VERSIONED.format(bucket=bucket.name)
    if str(config.get("S3ObjectKey", "")) not in bucket.keys:
        return "The specified key does not exist."
    return None


def run(account_id: str, declaration: dict[str, Any]) -> tuple[str, str]:
    """(status, statusSummary) of a new execution of the pipeline."""
    stages = declaration.get("stages") or []
    for action in (stages[0].get("actions") or []) if stages else []:
        type_id = action.get("actionTypeId") or {}
        if type_id.get("category") == "Source" and type_id.get("provider") == "S3":
            why = source_failure(account_id, action)
            if why:
                return "Failed", f"Stage {stages[0].get('name')}, action {action.get('name')} failed: {why}"
    return "InProgress", "Source stage succeeded; later stages are not run by the local endpoint"


def start_execution(_original: Any) -> Any:
    def action(self: Any) -> str:
        name = str(self._get_param("name"))
        pipeline = self.codepipeline_backend.get_pipeline(name)[0]
        status, summary = run(self.current_account, pipeline)
        execution_id = str(uuid.uuid4())
        _EXECUTIONS[execution_id] = {"pipelineName": name, "pipelineVersion": pipeline.get("version", 1),
                                     "pipelineExecutionId": execution_id, "status": status, "statusSummary": summary}
        return json.dumps({"pipelineExecutionId": execution_id})

    return action


def get_execution(_original: Any) -> Any:
    def action(self: Any) -> str:
        execution_id = str(self._get_param("pipelineExecutionId"))
        found = _EXECUTIONS.get(execution_id)
        if found is None or found["pipelineName"] != self._get_param("pipelineName"):
            from moto.core.exceptions import JsonRESTError  # noqa: PLC0415

            raise JsonRESTError("PipelineExecutionNotFoundException",
                                f"Pipeline execution with id {execution_id} does not exist in pipeline "
                                f"{self._get_param('pipelineName')}")
        return json.dumps({"pipelineExecution": found})

    return action
