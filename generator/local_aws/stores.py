"""The SageMaker model registry (model package groups) and S3 bucket policies, in moto's own backends."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from mlprov.local_aws.cfnmodel import Spec, service_error, tag_list


class ModelPackageGroup(Spec):
    """AWS::SageMaker::ModelPackageGroup: ``Ref`` and ``Fn::GetAtt ModelPackageGroupArn`` are the group's ARN."""

    TYPE = "AWS::SageMaker::ModelPackageGroup"
    NAME_PROPERTY = "ModelPackageGroupName"
    ATTRIBUTES = ("ModelPackageGroupArn", "CreationTime", "ModelPackageGroupStatus")

    @staticmethod
    def _backend(account_id: str, region_name: str) -> Any:
        from moto.sagemaker.models import sagemaker_backends  # noqa: PLC0415

        return sagemaker_backends[account_id][region_name]

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> Spec:
        backend = cls._backend(account_id, region_name)
        if name in backend.model_package_groups:
            arn = backend.model_package_groups[name].arn
            raise service_error("ValidationException", f"Model Package Group already exists: {arn}")
        arn = backend.create_model_package_group(name, props.get("ModelPackageGroupDescription", ""), tag_list(props))
        group = backend.model_package_groups[name]
        return cls(arn, props, account_id, region_name, {"ModelPackageGroupArn": arn, "CreationTime": str(group.creation_time),
                                                        "ModelPackageGroupStatus": group.model_package_group_status})

    @property
    def name(self) -> str:
        return self.physical_id.rsplit("/", 1)[-1]

    def update(self, props: dict[str, Any]) -> Spec:
        """Only the tags change in place (name and description are create-only)."""
        self._backend(self.account_id, self.region_name).model_package_groups[self.name].tags = tag_list(props)
        return type(self)(self.physical_id, props, self.account_id, self.region_name, self.attributes)

    def remove(self) -> None:
        self._backend(self.account_id, self.region_name).model_package_groups.pop(self.name, None)


class BucketPolicy(Spec):
    """AWS::S3::BucketPolicy: ``Ref`` is the bucket's name; the bucket must exist."""

    TYPE = "AWS::S3::BucketPolicy"

    @staticmethod
    def _backend(account_id: str) -> Any:
        from moto.s3.models import s3_backends  # noqa: PLC0415

        return s3_backends[account_id]["aws"]

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> Spec:
        del name
        bucket, document = str(props["Bucket"]), props["PolicyDocument"]
        text = document if isinstance(document, str) else json.dumps(document)
        cls._backend(account_id).put_bucket_policy(bucket, text.encode())
        return cls(bucket, props, account_id, region_name)

    def update(self, props: dict[str, Any]) -> Spec:
        return self.create(self.physical_id, props, self.account_id, self.region_name)

    def remove(self) -> None:
        from moto.s3.exceptions import MissingBucket  # noqa: PLC0415

        with contextlib.suppress(MissingBucket):  # the bucket went first: its policy went with it
            self._backend(self.account_id).delete_bucket_policy(self.physical_id)
