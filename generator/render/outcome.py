"""One product's share of ``mlprov render``, done where it renders (a worker process or this one), and the parent's
in-order commit of every product's share.

:func:`work` loads and renders one config and, in the same process, compares the renderings with the committed files:
with ``--check`` it lists the stale ones; otherwise it stages each changed file (:func:`mlprov.atomic.stage_bytes`:
complete and fsync'ed, not yet renamed) and lists the leftovers to delete. It also computes the product's render-cache
entry. What goes back to the parent is small (paths, reasons, hashes), never the rendered texts.

:func:`commit_all` runs in the parent once every product's :class:`Outcome` is in, so the command behaves as the
sequential render that rendered everything before writing anything: a bad config anywhere fails the run before a
single file changes (every staged file is discarded), and otherwise the files are renamed and reported product by
product, in the configs' order. A file that cannot be staged (a full disk) fails the run at that product, as a
sequential write would: the products before it are written and reported, the files staged before it within the
product are renamed (not reported, as before), nothing after it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mlprov.atomic import Flusher, Staged, commit, discard, settle, stage_bytes
from mlprov.config.loader import load_product
from mlprov.errors import MlprovError, UserError
from mlprov.render import renderings
from mlprov.render.cache import entry


@dataclass(frozen=True)
class Outcome:
    """What one config came to. ``bad``: it failed to load or render in a worker (the parent runs it again to raise
    the error itself); ``failure``: (message, hint) of the file that could not be staged, after ``staged``."""

    config: Path
    bad: bool = False
    staged: tuple[Staged, ...] = ()
    leftovers: tuple[Path, ...] = ()
    stale: tuple[tuple[Path, str], ...] = ()
    entry: dict[str, Any] | None = None
    failure: tuple[str, str | None] | None = field(default=None)

    def discard(self) -> None:
        for staged in reversed(self.staged):  # the deepest folders first
            discard(staged)


def _stage(expected: list[renderings.Rendering],
           flusher: Flusher | None) -> tuple[tuple[Staged, ...], tuple[str, str | None] | None]:
    staged: list[Staged] = []
    try:
        for r in renderings.changed(expected):
            staged.append(stage_bytes(r.path, r.content.encode("utf-8"), flusher=flusher))
    except UserError as exc:
        return tuple(staged), (exc.message, exc.hint)
    except BaseException:
        for s in reversed(staged):
            discard(s)
        raise
    return tuple(staged), None


def work(config: Path, *, check: bool, record: bool, here: bool, flusher: Flusher | None = None) -> Outcome:
    """Render one config and do its share of the command; ``here``: raise a bad config's error (else mark it).
    With a ``flusher`` the staged files may still be flushing: :func:`settled` before the outcome is used."""
    try:
        expected = renderings.expected(load_product(config))
    except MlprovError:
        if here:
            raise
        return Outcome(config, bad=True)
    cached = entry(config, expected) if record else None
    if check:
        return Outcome(config, stale=tuple(renderings.stale(expected)), entry=cached)
    staged, failure = _stage(expected, flusher)
    leftovers = () if failure else tuple(renderings.leftovers(expected))
    return Outcome(config, staged=staged, leftovers=leftovers, entry=cached, failure=failure)


def settled(outcome: Outcome) -> Outcome:
    """The outcome once each of its staged files is on the disk. A flush that failed ends the product's staging
    where the inline fsync would have: the files staged before it stay staged, its own temporary file is gone, the
    ones staged after it are discarded (with the folders made for them only: they would not have been written),
    the leftovers are not deleted, and the failure is the one :func:`mlprov.atomic.stage_bytes` would have raised."""
    kept: list[Staged] = []
    for i, staged in enumerate(outcome.staged):
        try:
            kept.append(settle(staged))
        except UserError as exc:
            later = outcome.staged[i + 1:]
            for other in later:
                if other.pending is not None:
                    other.pending.exception()  # wait: its handle is closed once the flush ends
            for other in reversed(later):  # the last staged first: a folder made for the first is empty by then
                discard(other)
            return replace(outcome, staged=tuple(kept), leftovers=(), failure=(exc.message, exc.hint))
    return replace(outcome, staged=tuple(kept))


def work_all(configs: Iterable[Path], *, check: bool, record: bool, here: bool) -> list[Outcome]:
    """:func:`work` for each config in order, each product's files flushed on background threads while the next one
    renders (at most two products' files in flight); every outcome settled. Whatever stops it discards every staged
    file of the outcomes so far (after their flushes ended) and raises."""
    done: list[Outcome] = []
    flusher = Flusher()
    try:
        for config in configs:
            done.append(work(config, check=check, record=record, here=here, flusher=flusher))
            if len(done) > 1:
                done[-2] = settled(done[-2])
        if done:
            done[-1] = settled(done[-1])
    except BaseException:
        flusher.close()
        discard_all(done)
        raise
    finally:
        flusher.close()  # joined before returning: the caller may fork next
    return done


def discard_all(outcomes: Iterable[Outcome]) -> None:
    for outcome in outcomes:
        outcome.discard()


def commit_all(outcomes: list[Outcome], report: Callable[[Path], None]) -> None:
    """Rename every staged file and delete every leftover, product by product (``report`` each path once the
    product is done); raise the first file that could not be staged, discarding everything after it."""
    for i, outcome in enumerate(outcomes):
        try:
            written = [commit(s) for s in outcome.staged]
        except BaseException:
            discard_all(outcomes[i:])
            raise
        if outcome.failure is not None:
            discard_all(outcomes[i + 1:])
            message, hint = outcome.failure
            raise UserError(message, hint=hint)
        for p in outcome.leftovers:
            p.unlink()
            written.append(p)
        for p in written:
            report(p)
