"""The product's SageMaker Pipeline, as its JSON definition: preprocess -> train -> evaluate -> register.

Built without the SageMaker Python SDK (the definition is plain JSON, "Pipeline definition JSON schema",
https://aws-sagemaker-mlops.github.io/sagemaker-model-building-pipeline-definition-JSON-schema/). Every job name
carries the product's job prefix (``JOB_PREFIX``), so the pipeline role's IAM patterns ``<prefix>-*`` cover them:
a step whose arguments name the job uses that name as the prefix of the jobs it starts, ``<prefix>-<execution
id>-<token>-<retries>`` ("Customize access management for Pipelines jobs",
https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-access.html#build-and-manage-step-permissions-prefix).
The registered model package waits for a manual approval (PendingManualApproval).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

INSTANCE = "ml.m5.large"
CODE = "/opt/ml/processing/code"
PREFIX_LIMIT = 38  # custom job prefix of Processing/Training/RegisterModel steps (same page)


@dataclass(frozen=True)
class Settings:
    job_prefix: str
    role_arn: str
    bucket: str
    image_uri: str
    model_package_group: str
    code_prefix: str  # s3 key prefix holding scripts/ (uploaded by run.py)


def _get(path: str) -> dict[str, str]:
    return {"Get": path}


def _processing(name: str, s: Settings, script: str, inputs: list[dict[str, Any]], outputs: list[str], *,
                property_files: list[dict[str, str]] | None = None) -> dict[str, Any]:
    base = f"s3://{s.bucket}/{s.code_prefix}"
    step: dict[str, Any] = {
        "Name": name,
        "Type": "Processing",
        "Arguments": {
            "ProcessingJobName": s.job_prefix,
            "RoleArn": s.role_arn,
            "AppSpecification": {"ImageUri": s.image_uri, "ContainerEntrypoint": ["python3", f"{CODE}/{script}"]},
            "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": INSTANCE, "VolumeSizeInGB": 30}},
            "ProcessingInputs": [
                {"InputName": "code", "S3Input": {"S3Uri": f"{base}/scripts/{script}", "LocalPath": CODE,
                                                  "S3DataType": "S3Prefix", "S3InputMode": "File"}},
                *inputs,
            ],
            "ProcessingOutputConfig": {"Outputs": [
                {"OutputName": out, "S3Output": {"S3Uri": f"s3://{s.bucket}/{s.code_prefix}/{name}/{out}",
                                                 "LocalPath": f"/opt/ml/processing/{out}", "S3UploadMode": "EndOfJob"}}
                for out in outputs]},
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        },
    }
    if property_files:
        step["PropertyFiles"] = property_files
    return step


def _input(name: str, uri: Any) -> dict[str, Any]:
    return {"InputName": name, "S3Input": {"S3Uri": uri, "LocalPath": f"/opt/ml/processing/{name}",
                                          "S3DataType": "S3Prefix", "S3InputMode": "File"}}


def _output_uri(step: str, output: str) -> dict[str, str]:
    return _get(f"Steps.{step}.ProcessingOutputConfig.Outputs['{output}'].S3Output.S3Uri")


def definition(s: Settings) -> dict[str, Any]:
    if len(s.job_prefix) > PREFIX_LIMIT:
        raise ValueError(f"JOB_PREFIX {s.job_prefix!r} is longer than the {PREFIX_LIMIT} characters a job prefix may have")
    model_data = _get("Steps.Train.ModelArtifacts.S3ModelArtifacts")
    preprocess = _processing("Preprocess", s, "preprocess.py", [_input("input", _get("Parameters.InputData"))],
                             ["train", "test"])
    train = {
        "Name": "Train",
        "Type": "Training",
        "Arguments": {
            "TrainingJobName": s.job_prefix,
            "RoleArn": s.role_arn,
            "AlgorithmSpecification": {"TrainingImage": s.image_uri, "TrainingInputMode": "File"},
            "HyperParameters": {"sagemaker_program": "train.py",
                                "sagemaker_submit_directory": f"s3://{s.bucket}/{s.code_prefix}/sourcedir.tar.gz"},
            "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri": _output_uri("Preprocess", "train"), "S3DataDistributionType": "FullyReplicated"}}}],
            "OutputDataConfig": {"S3OutputPath": f"s3://{s.bucket}/{s.code_prefix}/model"},
            "ResourceConfig": {"InstanceCount": 1, "InstanceType": INSTANCE, "VolumeSizeInGB": 30},
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        },
    }
    evaluate = _processing("Evaluate", s, "evaluate.py",
                           [_input("model", model_data), _input("test", _output_uri("Preprocess", "test"))], ["evaluation"],
                           property_files=[{"PropertyFileName": "EvaluationReport", "OutputName": "evaluation",
                                            "FilePath": "evaluation.json"}])
    register = {
        "Name": "Register",
        "Type": "RegisterModel",
        "DependsOn": ["Evaluate"],
        "Arguments": {
            "ModelPackageGroupName": s.model_package_group,
            "ModelApprovalStatus": "PendingManualApproval",
            "InferenceSpecification": {
                "Containers": [{"Image": s.image_uri, "ModelDataUrl": model_data,
                                "Environment": {"SAGEMAKER_PROGRAM": "train.py",
                                                "SAGEMAKER_SUBMIT_DIRECTORY": f"s3://{s.bucket}/{s.code_prefix}/sourcedir.tar.gz"}}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
                "SupportedRealtimeInferenceInstanceTypes": [INSTANCE],
            },
            "ModelMetrics": {"ModelQuality": {"Statistics": {
                "ContentType": "application/json",
                "S3Uri": f"s3://{s.bucket}/{s.code_prefix}/Evaluate/evaluation/evaluation.json"}}},
        },
    }
    return {
        "Version": "2020-12-01",
        "Metadata": {},
        "Parameters": [{"Name": "InputData", "Type": "String",
                        "DefaultValue": f"s3://{s.bucket}/{s.code_prefix.split('/')[0]}/input/"}],
        "Steps": [preprocess, train, evaluate, register],
    }


def as_json(s: Settings) -> str:
    return json.dumps(definition(s), sort_keys=True)
