"""``export-seeds DIR``: the seed code, for a repository the tool cannot write (a CodeConnections source) or an S3
source with ``source.seed: false``: ``DIR/model-build/``, ``DIR/model-deploy/`` (the files) and
``DIR/model-build.zip``, ``DIR/model-deploy.zip`` (the exact archives a CodeCommit stack is created from).
Nothing in DIR is overwritten."""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path

from mlprov.atomic import write_bytes
from mlprov.commands import Command
from mlprov.errors import UserError
from mlprov.seeds.archive import NAMES, archive


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", type=Path, help="folder to write the seed code into (made if absent)")


def export(target: Path) -> list[Path]:
    """Write every seed into ``target``; refuse before writing anything if one of the outputs exists."""
    outputs = [p for n in NAMES for p in (target / n, target / f"{n}.zip")]
    taken = [str(p) for p in outputs if p.exists()]
    if taken:
        raise UserError(f"{taken[0]} exists: export-seeds never overwrites", hint="choose an empty or new DIR")
    written = []
    for name in NAMES:
        made = archive(name)
        with zipfile.ZipFile(io.BytesIO(made.data)) as zf:
            for rel in made.files:
                write_bytes(target / name / rel, zf.read(rel))
        written += [target / name, write_bytes(target / f"{name}.zip", made.data)]
    return written


def run(args: argparse.Namespace) -> int:
    for path in export(Path(args.dir)):
        what = f"{archive(path.stem).key.removeprefix('seeds/')[:12]} (zip)" if path.suffix == ".zip" else "files"
        print(f"wrote {path}: {what}")
    print("push model-build/ and model-deploy/ to the pipelines' branches, or upload the zips as the S3 source keys "
          "(docs/mlops.md)")
    return 0


COMMAND = Command("export-seeds", "write the seed code of the model-build and model-deploy repositories to DIR",
                  configure, run)
