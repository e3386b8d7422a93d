"""The AWS-owned container image the seed code's SageMaker jobs and models run on.

The seed pipeline (processing, training, evaluation) and the deployed model use SageMaker's prebuilt
scikit-learn image. AWS publishes it from one registry account per Region ("Docker Registry Paths and Example
Code", https://docs.aws.amazon.com/sagemaker/latest/dg-ecr-paths/sagemaker-algo-docker-registry-paths.html,
scikit-learn section; the same accounts appear in the SageMaker Python SDK's image_uri_config/sklearn.json).
The template passes the URI to the build and deploy projects and the roles may pull exactly that repository.
"""

from __future__ import annotations

SKLEARN_REPOSITORY = "sagemaker-scikit-learn"
SKLEARN_TAG = "1.2-1-cpu-py3"

SKLEARN_ACCOUNTS: dict[str, str] = {
    "af-south-1": "510948584623",
    "ap-east-1": "651117190479",
    "ap-northeast-1": "354813040037",
    "ap-northeast-2": "366743142698",
    "ap-northeast-3": "867004704886",
    "ap-south-1": "720646828776",
    "ap-southeast-1": "121021644041",
    "ap-southeast-2": "783357654285",
    "ca-central-1": "341280168497",
    "eu-central-1": "492215442770",
    "eu-north-1": "662702820516",
    "eu-south-1": "978288397137",
    "eu-west-1": "141502667606",
    "eu-west-2": "764974769150",
    "eu-west-3": "659782779980",
    "me-south-1": "801668240914",
    "sa-east-1": "737474898029",
    "us-east-1": "683313688378",
    "us-east-2": "257758044811",
    "us-west-1": "746614075791",
    "us-west-2": "246618743249",
}


# Only reachable when validation was bypassed: an account that is no account, so the ARN and URI fail closed.
UNKNOWN_ACCOUNT = "no-registry-for-region"


def region_problem(region: str) -> str | None:
    """The config problem (one line) when no image registry is recorded for ``region``."""
    if region in SKLEARN_ACCOUNTS:
        return None
    return (f"field 'region': no SageMaker scikit-learn image registry is recorded for {region!r}; use one of "
            f"{', '.join(sorted(SKLEARN_ACCOUNTS))} (or add the region's account from SageMaker's 'Docker Registry "
            f"Paths' to mlprov.render.images.SKLEARN_ACCOUNTS)")


def registry_account(region: str) -> str:
    """The AWS account that publishes the scikit-learn image in ``region`` (validated configs only have these)."""
    return SKLEARN_ACCOUNTS.get(region, UNKNOWN_ACCOUNT)


def sklearn_image_uri(region: str, partition: str = "aws") -> str:
    suffix = "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"
    return f"{registry_account(region)}.dkr.ecr.{region}.{suffix}/{SKLEARN_REPOSITORY}:{SKLEARN_TAG}"


def sklearn_repository_arn(region: str, partition: str = "aws") -> str:
    return f"arn:{partition}:ecr:{region}:{registry_account(region)}:repository/{SKLEARN_REPOSITORY}"
