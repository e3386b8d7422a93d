"""Fleet units: stable shards, bounded parallel runs with per-product outcomes, the exit code, the summary table."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from mlprov.errors import AwsError, UserError
from mlprov.fleet import shard
from mlprov.fleet.cli import selected
from mlprov.fleet.runner import Outcome, check_jobs, fleet_exit, run_many
from mlprov.fleet.summary import Kind, table, write_json

NAMES = [f"org-prod-a{i:03d}-us-east-1-churn-ml-s3" for i in range(300)]


def test_shards_partition_the_products_and_stay_put_when_others_come_and_go() -> None:
    parts = [shard.select(NAMES, k, 4) for k in range(1, 5)]
    assert sorted(n for p in parts for n in p) == sorted(NAMES) and all(parts)
    assert all(len(p) > 50 for p in parts)  # 300 over 4: none starved (sizes in bench/bench_fleet.py)
    fewer = NAMES[::2]
    for k in range(1, 5):
        assert shard.select(fewer, k, 4) == [n for n in parts[k - 1] if n in set(fewer)]
    assert shard.select(NAMES, 1, 1) == NAMES
    assert shard.shard_of("a", 7) == shard.shard_of("a", 7)


@pytest.mark.parametrize(("spec", "message"), [
    ("3", "--shard 3: expected K/N, e.g. 2/4"), ("a/b", "--shard a/b: expected K/N, e.g. 2/4"),
    ("0/4", "--shard 0/4: K must be between 1 and N (N at least 1)"), ("5/4", "--shard 5/4: K must be between 1 and N (N at least 1)"),
    ("1/0", "--shard 1/0: K must be between 1 and N (N at least 1)"), ("-1/4", "--shard -1/4: expected K/N, e.g. 2/4"),
])
def test_bad_shard_specs(spec: str, message: str) -> None:
    with pytest.raises(UserError) as exc:
        shard.parse(spec)
    assert exc.value.message == message
    assert shard.parse(" 2/4 ") == (2, 4)


def test_runs_in_parallel_up_to_jobs_and_keeps_the_order() -> None:
    barrier = threading.Barrier(3, timeout=20)  # only three tasks at once can pass it: proof of parallelism
    active, peak, lock = [0], [0], threading.Lock()

    def task(name: str) -> tuple[int, str]:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        barrier.wait()
        with lock:
            active[0] -= 1
        return 0, name.upper()

    out = run_many(["a", "b", "c", "d", "e", "f"], task, jobs=3)
    assert [(o.product, o.result, o.exit_code) for o in out] == [(n, n.upper(), 0) for n in "abcdef"]
    assert peak[0] == 3


def test_one_products_error_is_its_outcome_and_a_bug_stops_the_run() -> None:
    def task(name: str) -> tuple[int, str]:
        if name == "gone":
            raise UserError("stack x does not exist in us-east-1", hint="deploy it first")
        if name == "throttled":
            raise AwsError("DescribeStacks: Rate exceeded")
        return (1 if name == "drifted" else 0), name

    out = run_many(["ok", "gone", "drifted", "throttled"], task, jobs=2)
    assert [(o.product, o.exit_code, o.error) for o in out] == [
        ("ok", 0, ""), ("gone", 2, "stack x does not exist in us-east-1 hint: deploy it first"), ("drifted", 1, ""),
        ("throttled", 3, "DescribeStacks: Rate exceeded")]
    assert fleet_exit(out) == 3
    assert fleet_exit(out[:3]) == 2 and fleet_exit([out[0], out[2]]) == 1 and fleet_exit([out[0]]) == 0

    def bug(name: str) -> tuple[int, str]:
        raise KeyError(name)

    with pytest.raises(KeyError):
        run_many(["x", "y"], bug, jobs=2)


def test_jobs_bounds() -> None:
    assert check_jobs(1) == 1 and check_jobs(64) == 64
    for bad in (0, 65, -3):
        with pytest.raises(UserError) as exc:
            check_jobs(bad)
        assert exc.value.message == f"--jobs {bad}: expected 1 to 64"


def _kind() -> Kind[dict[str, int]]:
    return Kind("demo", lambda _a, _r, _n: (0, {}), lambda o: "error" if o.result is None else "ok",
                [("n", lambda r: str(r["n"]))], lambda r: {"n": r["n"]})


def test_summary_table_and_json(tmp_path: Path) -> None:
    outs: list[Outcome[dict[str, int]]] = [Outcome("alpha", 0, 1.25, {"n": 3}), Outcome("b", 2, 0.5, None, "bad config")]
    kind = _kind()
    assert table(outs, kind.status, kind.columns) == (
        "product  status  n  seconds\n"
        "alpha    ok      3  1.2\n"
        "b        error      0.5\n"
        "2 product(s): 1 error, 1 ok\n"
        "b: bad config\n")
    path = write_json(tmp_path / "fleet" / "demo.json", kind, outs, jobs=4, seconds=1.5)
    assert json.loads(path.read_text()) == {"action": "demo", "jobs": 4, "seconds": 1.5, "products": [
        {"product": "alpha", "status": "ok", "exit_code": 0, "seconds": 1.25, "error": "", "n": 3},
        {"product": "b", "status": "error", "exit_code": 2, "seconds": 0.5, "error": "bad config"}]}


def test_selection(repo_copy: Path) -> None:
    every = selected([], True)
    assert len(every) == 27 and every == sorted(every)
    assert selected(["techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"] * 2, False) == [
        "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"]
    assert sorted(selected([], True, "1/2") + selected([], True, "2/2")) == every
    with pytest.raises(UserError, match=r"give CONFIG\.\.\. or --all, not both"):
        selected(["x"], True)
    with pytest.raises(UserError, match="no products given"):
        selected([], False)


def test_gate_shard_gates_only_its_products(repo_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from mlprov.cli import main
    from mlprov.commands import gate

    seen: list[list[str]] = []
    monkeypatch.setattr(gate, "gate_and_report", lambda _args, _repo, targets: seen.append([t.product for t in targets]) or 0)
    every = selected([], True)
    for k in (1, 2, 3):
        assert main(["gate", "--shard", f"{k}/3"]) == 0
        assert capsys.readouterr().out == f"shard {k}/3: {len(seen[-1])} product(s)\n"
    assert sorted(n for p in seen for n in p) == every
    assert seen == [shard.select(every, k, 3) for k in (1, 2, 3)]
    one = "techcorp-prod-a001-us-west-2-customer-churn-ml-codecommit"
    other = next(k for k in (1, 2) if shard.shard_of(one, 2) != k)
    assert main(["gate", one, "--shard", f"{other}/2"]) == 0
    assert capsys.readouterr().out == f"shard {other}/2: 0 product(s)\nnothing to gate in this shard\n"
