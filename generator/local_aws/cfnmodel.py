"""The shape of a CloudFormation model for moto: a handle on an object that lives in one of moto's service backends.

moto finds CloudFormation models through ``CloudFormationModel.__subclasses__()`` (direct subclasses only, cached).
Each resource type here is a :class:`Spec`: plain Python that creates, updates and deletes the real object in moto's
backend and answers ``Ref`` (the physical id) and ``Fn::GetAtt``. :func:`mlprov.local_aws.registry.register_models`
turns every spec into a ``CloudFormationModel`` subclass at run time, so nothing is registered by importing a module.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


_ERROR_CLASS: list[type[Exception]] = []


def service_error(code: str, message: str) -> Exception:
    """An error moto serialises in the calling API's protocol (CloudFormation's XML) with the service's code.
    The class lives outside the ``moto`` package on purpose: moto would look its code up in the service model
    of the package the exception comes from (``moto.core`` has none)."""
    if not _ERROR_CLASS:
        from moto.core.exceptions import ServiceException  # noqa: PLC0415

        _ERROR_CLASS.append(type("LocalAwsServiceError", (ServiceException,), {"__module__": __name__}))
    return _ERROR_CLASS[0](code, message)


def service_errors(fn: F) -> F:
    """Re-raise a backend's error as :func:`service_error`, so CloudFormation's XML answer carries the service's own
    code and message (e.g. ``RepositoryNameExistsException``); a missing required property becomes a ValidationError."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from moto.core.exceptions import JsonRESTError, ServiceException  # noqa: PLC0415

        try:
            return fn(*args, **kwargs)
        except JsonRESTError as exc:
            raise service_error(str(exc.error_type), str(exc.message)) from exc
        except ServiceException as exc:
            if type(exc).__module__.startswith("moto."):  # a service's own error: keep its code, CloudFormation's protocol
                raise service_error(str(exc.code), str(exc.message)) from exc
            raise
        except KeyError as exc:  # a required property the template lacks: CloudFormation's own wording
            raise service_error("ValidationError", f"Properties validation failed: #: required key [{exc.args[0]}] not found") from exc

    return wrapper  # type: ignore[return-value]


def camel(value: Any, keep: frozenset[str] = frozenset(), rename: dict[str, str] | None = None) -> Any:
    """CloudFormation's PascalCase keys to an API's camelCase ones, recursively; the values under a key in
    ``keep`` (free-form maps such as an action's Configuration) are copied as they are."""
    rename = rename or {}
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            new = rename.get(key, key[:1].lower() + key[1:])
            out[new] = item if key in keep else camel(item, keep, rename)
        return out
    if isinstance(value, list):
        return [camel(v, keep, rename) for v in value]
    return value


def tag_list(props: dict[str, Any]) -> list[dict[str, str]]:
    """The resource's Tags as a Key/Value list, whichever form the template used."""
    tags = props.get("Tags") or []
    if isinstance(tags, dict):
        return [{"Key": str(k), "Value": str(v)} for k, v in tags.items()]
    return [{"Key": str(t["Key"]), "Value": str(t["Value"])} for t in tags]


class Spec:
    """One resource type. Subclasses set the class attributes and implement create/delete (update optional)."""

    TYPE: ClassVar[str] = ""
    NAME_PROPERTY: ClassVar[str] = ""  # the property CloudFormation names the resource by ("" for none)
    ATTRIBUTES: ClassVar[tuple[str, ...]] = ()  # what Fn::GetAtt may ask for

    def __init__(self, physical_id: str, props: dict[str, Any], account_id: str, region_name: str,
                 attributes: dict[str, str] | None = None) -> None:
        self.physical_id = physical_id
        self.props = props
        self.account_id = account_id
        self.region_name = region_name
        self.attributes = attributes or {}

    # --- what moto calls -------------------------------------------------------------------------------
    @property
    def physical_resource_id(self) -> str:
        return self.physical_id

    @staticmethod
    def cloudformation_name_type() -> str:  # replaced per type by the registry
        return ""

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    def get_cfn_attribute(self, attribute_name: str) -> str:
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException  # noqa: PLC0415

        if attribute_name not in self.ATTRIBUTES or attribute_name not in self.attributes:
            raise UnformattedGetAttTemplateException()
        return self.attributes[attribute_name]

    def is_created(self) -> bool:
        return True

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str,
                                        region_name: str, **_kwargs: Any) -> Spec:
        return service_errors(cls.create)(resource_name, dict(cloudformation_json.get("Properties") or {}), account_id, region_name)

    @classmethod
    def create_only(cls) -> list[str]:
        """Top-level properties whose change replaces the resource: the type's createOnlyProperties in the
        registry schemas cfn-lint ships (the same source the change-set preview predicts replacements from)."""
        from mlprov.policy.registry import create_only_properties  # noqa: PLC0415

        return create_only_properties(cls.TYPE)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource: Spec, new_resource_name: str, cloudformation_json: dict[str, Any],
                                        account_id: str, region_name: str) -> Spec:
        """A change to a create-only property replaces the resource: the new one is created first, then the
        old one is deleted unless ``UpdateReplacePolicy: Retain``. Anything else updates in place. As on AWS, a
        resource named in the template cannot be replaced under the same name."""
        props = dict(cloudformation_json.get("Properties") or {})
        if any(original_resource.props.get(p) != props.get(p) for p in cls.create_only()):
            name = props.get(cls.NAME_PROPERTY) if cls.NAME_PROPERTY else None
            if name is not None and name == original_resource.props.get(cls.NAME_PROPERTY):
                raise service_error("ValidationError", "CloudFormation cannot update a stack when a custom-named resource requires "
                                                       f"replacing. Rename {name} and update the stack again.")
            new = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
            if cloudformation_json.get("UpdateReplacePolicy") != "Retain":
                original_resource.delete(account_id, region_name)
            return new
        updated: Spec = service_errors(original_resource.update)(props)
        return updated

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str,
                                        region_name: str) -> None:
        cls(resource_name, dict(cloudformation_json.get("Properties") or {}), account_id, region_name).delete(account_id, region_name)

    def delete(self, account_id: str, region_name: str) -> None:
        del account_id, region_name
        service_errors(self.remove)()

    # --- what a type implements ----------------------------------------------------------------------------
    @classmethod
    def create(cls, name: str, props: dict[str, Any], account_id: str, region_name: str) -> Spec:
        raise NotImplementedError

    def update(self, props: dict[str, Any]) -> Spec:
        """In-place update; the default re-creates the object under the same physical id."""
        self.remove()
        return self.create(self.physical_id, props, self.account_id, self.region_name)

    def remove(self) -> None:
        raise NotImplementedError
