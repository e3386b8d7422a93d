"""The gate: cfn-lint, cfn-guard (our pack + Control Tower) and checkov over many templates, fast.

Each tool runs as ONE process over every template it has not seen (content-hash cache), the three in parallel;
findings merge into one model, inline suppressions become findings, and waivers.yaml decides what is waived.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from generator.gates.cache import GateCache
from generator.gates.cfnlint_tool import CfnLint
from generator.gates.checkov_tool import Checkov
from generator.gates.guard_tool import CfnGuard
from generator.gates.inline import inline_suppressions
from generator.gates.model import Finding, GateResult, Tool, ToolRun
from generator.gates.targets import Target, resolve_targets
from generator.gates.toolbase import Runner, run_batch
from generator.gates.waivers import apply_waivers, load_waivers, unused_warnings
from generator.paths import Repo

CACHE_DIR = Path(".cache") / "gate"


@dataclass(frozen=True)
class GateOptions:
    use_cache: bool = True
    tools: tuple[Tool, ...] = tuple(Tool)


def make_runners(root: Path, tools: tuple[Tool, ...]) -> list[Runner]:
    cache_dir = root / CACHE_DIR
    factories: dict[Tool, Callable[[], Runner]] = {
        Tool.CFN_LINT: CfnLint,
        Tool.CFN_GUARD: lambda: CfnGuard(root),
        Tool.CHECKOV: lambda: Checkov(root, cache_dir),
    }
    return [factories[t]() for t in Tool if t in tools]


def _skipped(runner: Runner, target: Target) -> bool:
    return target.doc is None and runner.tool is not Tool.CFN_LINT  # not YAML: only cfn-lint reports it (E0000)


def _scan(runner: Runner, cache: GateCache, targets: list[Target]) -> tuple[list[Finding], ToolRun]:
    """Findings of one tool over the targets: cached ones, then one process over the rest (identical bytes once)."""
    stats = ToolRun(version=runner.version)
    findings: list[Finding] = []
    misses: dict[str, Target] = {}
    pending: list[Target] = []
    for target in (t for t in targets if not _skipped(runner, t)):
        hit = cache.get(runner.tool, runner.fingerprint, target)
        if hit is None:
            misses.setdefault(target.digest, target)
            pending.append(target)
        else:
            stats.cache_hits += 1
            findings += hit
    if not misses:
        return findings, stats
    batch = list(misses.values())
    out = run_batch(runner, batch)
    stats.seconds = out.seconds
    stats.scanned = len(batch)
    parsed = runner.parse(out, batch)
    for target in batch:
        cache.put(runner.tool, runner.fingerprint, target, parsed[target.product])
    for target in pending:  # scanned now, or the same bytes as a scanned template: label with this product
        found = parsed[misses[target.digest].product]
        findings += [replace(f, product=target.product, template=target.rel) for f in found]
    return findings, stats


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    out = []
    for f in findings:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return sorted(out, key=lambda f: (f.product, f.tool.value, f.rule_id, f.resource, f.line))


def run_gate(
    repo: Repo, paths: Sequence[str | Path] = (), use_cache: bool = True, tools: tuple[Tool, ...] = tuple(Tool)
) -> GateResult:
    """Gate the products PATHS name (configs, names, templates or product folders; none: every product)."""
    targets = resolve_targets(repo, [str(p) for p in paths])
    return gate_targets(repo.root, targets, GateOptions(use_cache=use_cache, tools=tools))


def gate_targets(root: Path, targets: list[Target], options: GateOptions | None = None) -> GateResult:
    """Gate the targets; waivers.yaml problems raise (bad input) or land in ``waiver_problems`` (failing)."""
    options = options or GateOptions()
    started = time.perf_counter()
    waivers, problems = load_waivers(root)
    runners = make_runners(root, options.tools)
    cache = GateCache(root / CACHE_DIR, enabled=options.use_cache)
    findings: list[Finding] = []
    for target in targets:
        findings += [f for f in inline_suppressions(target) if f.tool in options.tools]
    result = GateResult(products=[t.product for t in targets], waiver_problems=problems)
    with ThreadPoolExecutor(max_workers=len(runners) or 1) as pool:
        futures = {r.tool: pool.submit(_scan, r, cache, targets) for r in runners}
        for tool, future in futures.items():
            found, stats = future.result()
            findings += found
            result.tools[tool.value] = stats
            result.tool_versions[tool.value] = stats.version
    tiers = {t.product: t.tier for t in targets}
    open_, waived, counts = apply_waivers(_dedupe(findings), waivers, lambda p: tiers.get(p, ""))
    result.findings = open_
    result.waived = waived
    result.active_waivers = waivers
    result.warnings = unused_warnings(waivers, counts, tiers)
    result.cache_hits = sum(s.cache_hits for s in result.tools.values())
    result.scanned = sum(s.scanned for s in result.tools.values())
    result.seconds = time.perf_counter() - started
    return result
