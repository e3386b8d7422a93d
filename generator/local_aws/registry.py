"""Register our CloudFormation models with moto, explicitly and once.

moto builds its type -> model map from ``CloudFormationModel.__subclasses__()`` and caches it; registering means
creating one direct subclass per :class:`~mlprov.local_aws.cfnmodel.Spec` and clearing those caches. Calling
:func:`register_models` again changes nothing.
"""

from __future__ import annotations

from typing import Any

from mlprov.local_aws.cfnmodel import Spec
from mlprov.local_aws.devtools import Pipeline, Project, Repository
from mlprov.local_aws.monitoring import Alarm, MetricFilter, Subscription
from mlprov.local_aws.stores import BucketPolicy, ModelPackageGroup

SPECS: tuple[type[Spec], ...] = (ModelPackageGroup, Repository, Project, Pipeline, Alarm, MetricFilter, Subscription, BucketPolicy)

_REGISTERED: dict[str, Any] = {}


def _model(spec: type[Spec]) -> Any:
    from moto.core.common_models import CloudFormationModel  # noqa: PLC0415

    namespace = {
        "__module__": __name__,
        "__doc__": spec.__doc__,
        "cloudformation_type": staticmethod(lambda: spec.TYPE),
        "cloudformation_name_type": staticmethod(lambda: spec.NAME_PROPERTY),
    }
    return type(f"Local{spec.__name__}", (spec, CloudFormationModel), namespace)


def register_models() -> dict[str, Any]:
    """Make moto's CloudFormation create our types in moto's own backends; returns type -> model class."""
    if not _REGISTERED:
        from moto.cloudformation import parsing  # noqa: PLC0415

        existing = parsing.get_model_map()
        for spec in SPECS:
            if spec.TYPE not in existing:  # a later moto may bring its own: keep that one
                _REGISTERED[spec.TYPE] = _model(spec)
        for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
            cached.cache_clear()
    return dict(_REGISTERED)


def registered_types() -> list[str]:
    """The resource types this package adds to moto (after :func:`register_models`)."""
    return sorted(_REGISTERED)
