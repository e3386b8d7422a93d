"""What the engine needs from each tool runner, and the helpers they share (version lookup, one batch process)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from mlprov.actionlog import LOGGER_NAME
from mlprov.errors import UserError
from mlprov.gates.model import Finding, Tool
from mlprov.gates.targets import Target


class Runner(Protocol):
    """One tool: how to scan many templates in ONE process, and how to read its output back."""

    tool: Tool
    version: str
    fingerprint: str  # changes whenever the tool, its rules or result-changing options change

    def digest(self, target: Target) -> str:
        """What the cache keys the target's findings on: every input of the tool for it (usually the template bytes)."""
        ...

    def command(self, targets: list[Target]) -> list[str]: ...

    def env(self) -> dict[str, str]: ...

    def parse(self, out: ToolOutput, targets: list[Target]) -> dict[str, list[Finding]]:
        """Findings per target product (every given target has an entry, maybe empty)."""
        ...


@dataclass(frozen=True)
class ToolOutput:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


# The tools run side by side on few cores; checkov's fixed ~2 s start-up makes it the long pole of a small run.
# The others run at a lower CPU priority so they fill the idle core instead of slowing checkov (work-conserving:
# a cold run of many templates takes as long as before). MLPROV_GATE_NICE=0 turns it off.
_BACKGROUND = {Tool.CFN_LINT, Tool.CFN_GUARD}


def _lower_priority(tool: Tool, pid: int) -> None:
    niceness = int(os.environ.get("MLPROV_GATE_NICE", "10"))
    if tool in _BACKGROUND and niceness > 0 and hasattr(os, "setpriority"):
        with contextlib.suppress(OSError):  # the process may already have exited
            os.setpriority(os.PRIO_PROCESS, pid, niceness)


def run_batch(runner: Runner, targets: list[Target]) -> ToolOutput:
    """Run the tool once over all targets, in an empty working directory (no stray config files are read)."""
    cmd = runner.command(targets)
    log = logging.getLogger(LOGGER_NAME)
    shown = " ".join(cmd[:12]) + (" ..." if len(cmd) > 12 else "")
    log.info("%s: one process over %d template(s): %s", runner.tool.value, len(targets), shown)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mlprov-gate-") as cwd:
        try:
            with subprocess.Popen(cmd, cwd=cwd, env=runner.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as popen:
                _lower_priority(runner.tool, popen.pid)
                stdout, stderr = popen.communicate()
            proc = subprocess.CompletedProcess(cmd, popen.returncode, stdout, stderr)
        except OSError as exc:
            raise UserError(f"{runner.tool.value}: cannot run {cmd[0]}: {exc.strerror}", hint="run 'make setup'") from None
    out = ToolOutput(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)
    log.info("%s: exit %d in %.1f s", runner.tool.value, out.returncode, out.seconds)
    if out.stderr.strip():
        log.debug("%s stderr:\n%s", runner.tool.value, out.stderr[-4000:])
    return out


def tool_failed(tool: Tool, out: ToolOutput, hint: str) -> UserError:
    lines = [ln for ln in (out.stderr or out.stdout).strip().splitlines() if ln.strip()]
    last = lines[-1][:300] if lines else "no output"
    return UserError(f"{tool.value} failed (exit {out.returncode}): {last}", hint=hint)


def base_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def cached_version(cache_dir: Path, executable: Path, argv: list[str]) -> str:
    """``argv`` (a ``--version`` call) output's last word, remembered per executable path, size and mtime."""
    try:
        st = executable.stat()
    except OSError:
        raise UserError(f"{executable}: not found", hint="run 'make setup'") from None
    key = f"{executable.resolve()}:{st.st_size}:{st.st_mtime_ns}"
    store = cache_dir / "versions.json"
    try:
        known: dict[str, str] = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if key in known:
        return known[key]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    words = proc.stdout.strip().split()
    if proc.returncode != 0 or not words:
        raise UserError(f"{executable}: '--version' failed (exit {proc.returncode})", hint="reinstall it with 'make setup'")
    known[key] = words[-1]
    from mlprov.atomic import write_text  # noqa: PLC0415

    write_text(store, json.dumps(known, indent=1))
    return words[-1]


def by_path(targets: list[Target]) -> dict[str, Target]:
    """Targets indexed by every spelling of their template path a tool may print back."""
    index: dict[str, Target] = {}
    for t in targets:
        index[str(t.template)] = t
        index[str(t.template).lstrip("/")] = t
        index[os.path.realpath(t.template)] = t
    return index
