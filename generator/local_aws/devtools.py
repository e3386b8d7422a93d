"""CodeCommit repositories, CodeBuild projects and CodePipeline pipelines, created in moto's own backends."""

from __future__ import annotations

import json
from typing import Any

from mlprov.local_aws.cfnmodel import Spec, camel, service_error, tag_list


class Repository(Spec):
    """AWS::CodeCommit::Repository. As on AWS, ``Ref`` (the physical id) is the repository *id*, not its name;
    ``Fn::GetAtt`` gives Arn, CloneUrlHttp, CloneUrlSsh and Name. ``Code`` seeds the first commit at create only
    (:mod:`mlprov.local_aws.codecommitcode`); an update keeps the files, as on AWS."""

    TYPE = "AWS::CodeCommit::Repository"
    NAME_PROPERTY = "RepositoryName"
    ATTRIBUTES = ("Arn", "CloneUrlHttp", "CloneUrlSsh", "Name")

    @staticmethod
    def _backend(account_id: str, region_name: str) -> Any:
        from moto.codecommit.models import codecommit_backends  # noqa: PLC0415

        return codecommit_backends[account_id][region_name]

    @classmethod
    def _made(cls, meta: dict[str, Any], props: dict[str, Any], account_id: str, region_name: str) -> Spec:
        attributes = {"Arn": meta["Arn"], "CloneUrlHttp": meta["cloneUrlHttp"], "CloneUrlSsh": meta["cloneUrlSsh"],
                      "Name": meta["repositoryName"]}
        return cls(meta["repositoryId"], props, account_id, region_name, attributes)

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> Spec:
        from mlprov.local_aws import codecommitcode  # noqa: PLC0415

        backend = cls._backend(account_id, region_name)
        # The first commit, from the S3 zip: read first, so an unreadable object creates nothing.
        seeded = codecommitcode.read(props["Code"], account_id) if props.get("Code") else None
        meta = backend.create_repository(name, props.get("RepositoryDescription", ""))
        if props.get("KmsKeyId"):
            meta["kmsKeyId"] = props["KmsKeyId"]
        if seeded:
            codecommitcode.attach(backend.repositories[name], seeded)
        backend.repositories[name].tags = {t["Key"]: t["Value"] for t in tag_list(props)}  # read by ListTagsForResource
        return cls._made(meta, props, account_id, region_name)

    def update(self, props: dict[str, Any]) -> Spec:
        """Description and key change in place; a new name renames the repository (CodeCommit allows it)."""
        backend = self._backend(self.account_id, self.region_name)
        old = self.attributes["Name"]
        name = str(props.get(self.NAME_PROPERTY) or old)
        if name != old and name in backend.repositories:
            raise service_error("RepositoryNameExistsException", f"Repository named {name} already exists")
        repo = backend.repositories.pop(old)
        if name != old:
            fresh = type(repo)(self.account_id, self.region_name, "", name)
            fresh.repository_metadata["repositoryId"] = repo.repository_metadata["repositoryId"]
            fresh.repository_metadata["creationDate"] = repo.repository_metadata["creationDate"]
            if hasattr(repo, "mlprov_branches"):  # a rename keeps the commits
                fresh.mlprov_branches = repo.mlprov_branches
                fresh.repository_metadata["defaultBranch"] = repo.repository_metadata["defaultBranch"]
            repo = fresh
        repo.repository_metadata["repositoryDescription"] = props.get("RepositoryDescription", "")
        repo.tags = {t["Key"]: t["Value"] for t in tag_list(props)}
        if props.get("KmsKeyId"):
            repo.repository_metadata["kmsKeyId"] = props["KmsKeyId"]
        backend.repositories[name] = repo
        return self._made(repo.repository_metadata, props, self.account_id, self.region_name)

    def remove(self) -> None:
        name = self.attributes.get("Name") or str(self.props.get(self.NAME_PROPERTY, ""))
        self._backend(self.account_id, self.region_name).delete_repository(name)


class Project(Spec):
    """AWS::CodeBuild::Project: ``Ref`` is the project name, ``Fn::GetAtt Arn`` its ARN."""

    TYPE = "AWS::CodeBuild::Project"
    NAME_PROPERTY = "Name"
    ATTRIBUTES = ("Arn",)

    @staticmethod
    def _backend(account_id: str, region_name: str) -> Any:
        from moto.codebuild.models import codebuild_backends  # noqa: PLC0415

        return codebuild_backends[account_id][region_name]

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> Spec:
        backend = cls._backend(account_id, region_name)
        if name in backend.codebuild_projects:
            raise service_error("ResourceAlreadyExistsException", f"Project already exists: {name}")
        cls._put(backend, name, props)
        return cls(name, props, account_id, region_name, {"Arn": backend.codebuild_projects[name].arn})

    @staticmethod
    def _put(backend: Any, name: str, props: dict[str, Any]) -> None:
        api = camel(props, rename={"BuildSpec": "buildspec"})
        backend.create_project(
            project_name=name, description=props.get("Description"), project_source=api.get("source", {}),
            artifacts=api.get("artifacts", {}), environment=api.get("environment", {}), service_role=props["ServiceRole"],
            tags=[{"key": t["Key"], "value": t["Value"]} for t in tag_list(props)], cache=api.get("cache"),
            timeout=props.get("TimeoutInMinutes"), queued_timeout=props.get("QueuedTimeoutInMinutes"),
            source_version=props.get("SourceVersion"), logs_config=api.get("logsConfig"), vpc_config=api.get("vpcConfig"),
        )
        if props.get("EncryptionKey"):
            backend.codebuild_projects[name].project_metadata["encryptionKey"] = props["EncryptionKey"]

    def update(self, props: dict[str, Any]) -> Spec:
        backend = self._backend(self.account_id, self.region_name)
        created = backend.codebuild_projects[self.physical_id].project_metadata["created"]
        self._put(backend, self.physical_id, props)
        backend.codebuild_projects[self.physical_id].project_metadata["created"] = created
        return type(self)(self.physical_id, props, self.account_id, self.region_name, self.attributes)

    def remove(self) -> None:
        self._backend(self.account_id, self.region_name).delete_project(self.physical_id)


class Pipeline(Spec):
    """AWS::CodePipeline::Pipeline: ``Ref`` is the pipeline name, ``Fn::GetAtt Version`` its version."""

    TYPE = "AWS::CodePipeline::Pipeline"
    NAME_PROPERTY = "Name"
    ATTRIBUTES = ("Version", "Arn")

    @staticmethod
    def _backend(account_id: str, region_name: str) -> Any:
        from moto.codepipeline.models import codepipeline_backends  # noqa: PLC0415

        return codepipeline_backends[account_id][region_name]

    @staticmethod
    def _declaration(name: str, props: dict[str, Any]) -> dict[str, Any]:
        body = {k: v for k, v in props.items() if k not in {"Name", "Tags", "RestartExecutionOnUpdate"}}
        declaration: dict[str, Any] = camel(body, keep=frozenset({"Configuration"}))
        declaration["name"] = name
        return declaration

    @classmethod
    def _check_role(cls, backend: Any, role_arn: str) -> None:
        """What CodePipeline checks: the role exists and trusts codepipeline.amazonaws.com (moto's own check
        misreads a trust policy whose Service is a list, so it is done here)."""
        from moto.iam.exceptions import NotFoundException  # noqa: PLC0415

        try:
            role = backend.iam_backend.get_role_by_arn(role_arn)
        except NotFoundException:
            role = None
        services: list[str] = []
        for statement in json.loads(role.assume_role_policy_document)["Statement"] if role else []:
            service = statement.get("Principal", {}).get("Service", [])
            services += [service] if isinstance(service, str) else list(service)
        if "codepipeline.amazonaws.com" not in services:
            raise service_error("InvalidStructureException",
                                f"CodePipeline is not authorized to perform AssumeRole on role {role_arn}")

    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> Spec:
        from moto.codepipeline.models import CodePipeline  # noqa: PLC0415

        backend = cls._backend(account_id, region_name)
        if name in backend.pipelines:
            raise service_error("InvalidStructureException",
                                f"A pipeline with the name '{name}' already exists in account '{account_id}'")
        declaration = cls._declaration(name, props)
        cls._check_role(backend, declaration.get("roleArn", ""))
        stages = len(declaration.get("stages", []))
        if stages < 2:
            raise service_error("InvalidStructureException",
                        f"Pipeline has only {stages} stage(s). There should be a minimum of 2 stages in a pipeline")
        pipeline = CodePipeline(account_id, region_name, declaration)
        pipeline.tags.update({t["Key"]: t["Value"] for t in tag_list(props)})
        backend.pipelines[name] = pipeline
        attributes = {"Version": str(pipeline.pipeline["version"]), "Arn": pipeline.metadata["pipelineArn"]}
        return cls(name, props, account_id, region_name, attributes)

    def update(self, props: dict[str, Any]) -> Spec:
        backend = self._backend(self.account_id, self.region_name)
        declaration = self._declaration(self.physical_id, props)
        self._check_role(backend, declaration.get("roleArn", ""))
        updated = backend.update_pipeline(declaration)
        backend.pipelines[self.physical_id].tags = {t["Key"]: t["Value"] for t in tag_list(props)}
        attributes = {**self.attributes, "Version": str(updated["version"])}
        return type(self)(self.physical_id, props, self.account_id, self.region_name, attributes)

    def remove(self) -> None:
        self._backend(self.account_id, self.region_name).delete_pipeline(self.physical_id)
