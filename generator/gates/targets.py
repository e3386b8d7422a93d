"""Which products a gate run covers: PATHS (configs, product names, templates or product folders) to templates."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from mlprov.errors import UserError
from mlprov.paths import TEMPLATE_FILE, Repo


class _CfnLoader(yaml.CSafeLoader):  # libyaml: ~9x faster than the pure-Python SafeLoader
    """SafeLoader that reads CloudFormation short-form intrinsics (``!Ref x``) as ``{"Ref": x}``."""


def _intrinsic(loader: _CfnLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


@dataclass
class Target:
    """One product's committed template, read once per gate run."""

    product: str
    template: Path  # absolute
    rel: str  # relative to the repository root, as findings and reports show it
    data: bytes = field(repr=False)

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def doc(self) -> dict[str, Any] | None:
        """The parsed template, or None when it is not a YAML/JSON mapping (cfn-lint then reports E0000)."""
        try:
            loaded = yaml.load(self.data.decode("utf-8", errors="replace"), Loader=_CfnLoader)  # noqa: S506 - SafeLoader subclass
        except yaml.YAMLError:
            return None
        return loaded if isinstance(loaded, dict) else None

    @property
    def metadata(self) -> dict[str, Any]:
        meta = (self.doc or {}).get("Metadata")
        info = meta.get("MlProvisioner") if isinstance(meta, dict) else None
        return info if isinstance(info, dict) else {}

    @property
    def tier(self) -> str:
        return str(self.metadata.get("Tier", ""))

    @property
    def region(self) -> str:
        return str(self.metadata.get("Region", ""))

    @property
    def resource_types(self) -> set[str]:
        resources = (self.doc or {}).get("Resources")
        if not isinstance(resources, dict):
            return set()
        return {str(r.get("Type")) for r in resources.values() if isinstance(r, dict) and r.get("Type")}


def _product_of(repo: Repo, arg: str) -> str:
    """The product a command-line PATH names, or UserError."""
    products = repo.products_dir.resolve()
    path = Path(arg)
    candidates = [path, repo.root / path] if not path.is_absolute() else [path]
    for cand in candidates:
        if not cand.exists():
            continue
        real = cand.resolve()
        if real.is_file() and real.suffix in (".yaml", ".yml") and real.parent == products:
            return real.stem  # a config
        if real.is_file() and real.parent.parent == products:
            return real.parent.name  # the committed template, or another file of the product
        if real.is_file() and real.parent.name == "access" and real.parent.parent.parent == products:
            return real.parent.parent.name  # an access file (products/<name>/access/<kind>.json)
        if real.is_dir() and real.parent == products:
            return real.name  # a product folder
    name = arg.removesuffix(".yaml").removesuffix(".yml")
    if "/" not in name and ((repo.products_dir / f"{name}.yaml").is_file() or (repo.products_dir / name / TEMPLATE_FILE).is_file()):
        return name
    raise UserError(
        f"{arg}: not a product config, product name, template or product folder under {repo.products_dir}",
        hint="give products/<name>.yaml, <name>, products/<name>/template.yaml or products/<name>; 'mlprov list-products' lists them",
    )


def all_products(repo: Repo) -> list[str]:
    """Every product of the repository: a config or a committed template folder."""
    names = {p.stem for p in repo.config_paths()}
    names |= {t.parent.name for t in repo.products_dir.glob(f"*/{TEMPLATE_FILE}")}
    return sorted(names)


def resolve_targets(repo: Repo, paths: list[str]) -> list[Target]:
    """The templates to gate: those of the given PATHS (deduplicated, sorted), or every product's."""
    products = sorted({_product_of(repo, p) for p in paths}) if paths else all_products(repo)
    if not products:
        raise UserError(f"{repo.products_dir}: no products to gate", hint="add a config under products/ and run 'mlprov render'")
    targets: list[Target] = []
    for name in products:
        template = repo.products_dir / name / TEMPLATE_FILE
        if not template.is_file():
            raise UserError(f"{template}: template missing for product {name}", hint=f"run 'mlprov render {name}' first")
        rel = template.relative_to(repo.root).as_posix() if template.is_relative_to(repo.root) else str(template)
        targets.append(Target(name, template.resolve(), rel, template.read_bytes()))
    return targets
