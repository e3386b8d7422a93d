"""``make demo`` from a checkout without AWS credentials: every step passes, the drift step fails as expected,
and the reports are where it says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mlprov.demo import DEMO_PRODUCT as DEMO

REPO = Path(__file__).resolve().parents[1]
ENTERPRISE = "globalbank-prod-b003-eu-west-1-demand-forecasting-ml-codecommit-existing-ssm"


@pytest.mark.slow
def test_demo_runs_the_lifecycle_on_the_embedded_endpoint(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(MLPROV_REPORTS_DIR=str(tmp_path), HOME=str(tmp_path))  # no ~/.aws either
    done = subprocess.run([sys.executable, "-m", "mlprov.demo"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    out = done.stdout.splitlines()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert any(line.startswith("=== embedded local AWS on http://127.0.0.1:") for line in out)
    assert any(line.startswith("=== gates (cfn-lint") for line in out)
    assert any(line.startswith("gate clean: 1 product(s), 0 finding(s)") for line in out)
    assert f"{DEMO}: READY to deploy" in out
    assert (tmp_path / DEMO / "review.html").is_file()
    # 43 resources; the stack's ingress rule on the imported group (EndpointIngressFromBuilds) has no live check yet
    assert any(line.startswith("globalbank-prod-b003-euw1-demand-forecasting-ml: in sync: 42 in sync, 0 drifted, 0 deleted, "
                               "1 not checked; coverage 97.7%") for line in out)
    assert any(line.startswith("globalbank-prod-b002-euw1-demand-forecasting-ml: in sync: 44 in sync, 0 drifted") for line in out)
    assert f"=== deploy {ENTERPRISE}: mlprov deploy-product {ENTERPRISE} --force --endpoint-url" in "\n".join(out)
    assert "--- exit 1, as expected: check-drift reports the edits as drift" in out
    assert any(line.startswith("globalbank-prod-b003-euw1-demand-forecasting-ml: in sync: ") for line in out)
    assert any(line.startswith("globalbank-prod-b003-euw1-demand-forecasting-ml: DRIFTED: ") for line in out)
    assert "test stack: globalbank-prod-b003-euw1-demand-forecasting-ml-t0de300" in out
    assert ("adopts retained AWS::SageMaker::ModelPackageGroup startupco-dev-s001-use1-fraud-detection-ml as ModelPackageGroup "
            "(IMPORT change set first)") in out
    assert any(line.startswith("=== embedded local AWS on http://127.0.0.1:") and line.endswith("(strict: refuses what AWS refuses)")
               for line in out)
    assert out[-1].startswith("demo OK: ") and out[-1].endswith(f"step(s). Reports and logs: {tmp_path}")
    drift = (tmp_path / ENTERPRISE / "drift.md").read_text()
    assert "| DRIFTED | `ModelPackageGroupArnParameter` |" in drift and "| DRIFTED | `ArtifactsBucket` |" in drift
