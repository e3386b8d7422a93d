"""Seed code lives outside the package (it runs in CodeBuild): put its folders on the path for the tests."""

from __future__ import annotations

import sys

from tests.conftest import REPO

for folder in ("seeds/model-build", "seeds/model-deploy"):
    path = str(REPO / folder)
    if path not in sys.path:
        sys.path.insert(0, path)

from tests.local_aws.conftest import aws, endpoint  # noqa: E402,F401 - the local endpoint fixtures
