"""The strict local AWS: rules that make the embedded moto refuse what real AWS refuses for our stacks.

moto accepts much that AWS rejects; every rule here is one such refusal, implemented as a patch of moto (wrapping
moto's own code) and documented, in its module, beside the AWS documentation it follows. The rules are installed
once per process by :func:`install` and act only while strict mode is on (:func:`set_strict`; ``LocalAws(strict=True)``,
``mlprov local-aws --strict``, and every test fixture of the local endpoint), so a lenient server in the same process
behaves as plain moto.

:data:`RULES` lists them (rule -> what AWS does and where that is documented), like ``patches.PATCHES``:

- ``template-size``: ``TemplateBody`` over 51,200 bytes is refused (:mod:`.template_size`).
- ``private-dns``: a second private-DNS interface endpoint for one service in one VPC is refused (:mod:`.private_dns`).
- ``existing-name``: a create over an existing custom-named resource is refused, "already exists" (:mod:`.existing`).
- ``named-replacement``: an update that would replace a custom-named resource fails and rolls back (:mod:`.replacement`).
- ``retain``: a failed first create rolls back, keeping ``Retain`` resources and deleting ``RetainExceptOnCreate``
  ones; ``RetainExceptOnCreate`` is kept on delete and on removal from the template (:mod:`.rollback`).
- ``import-existing``: ``ImportExistingResources=True`` adopts retained resources (moto ignores it) (:mod:`.adopt`).
- ``endpoint-vpc-dns``: a private-DNS interface endpoint in a VPC with a DNS attribute off is refused (:mod:`.endpoint_dns`).
- ``endpoint-subnet-zones``: two subnets of one Availability Zone in an interface endpoint: DuplicateSubnetsInSameZone
  (:mod:`.endpoint_subnets`).
- ``endpoint-service-zones``: a subnet in an Availability Zone the endpoint service does not serve is refused; the
  zones come from a table tests set (:mod:`.endpoint_zones`).
- ``private-dns-zone``: private DNS over a private hosted zone associated with the VPC is refused (:mod:`.hosted_zone`).
- ``access-log-target``: a bucket's LoggingConfiguration to a missing, foreign-region or unpermitted target bucket
  fails: InvalidTargetBucketForLogging / CrossLocationLoggingProhibited (:mod:`.access_logs`).
- ``artifact-store``: a pipeline whose artifact store bucket is missing (or elsewhere) fails: InvalidStructureException
  (:mod:`.artifact_store`).
- ``expected-owner``: GetBucketLocation with ``ExpectedBucketOwner`` of another account: 403 AccessDenied
  (:mod:`.expected_owner`).
- ``codecommit-closed``: CreateRepository in an account marked new to CodeCommit that holds no repository fails:
  OperationNotAllowedException (:mod:`.codecommit`).
- ``iam`` (opt-in, ``iam=True``): moto's own IAM enforcement of the caller's policies (:mod:`.iam`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

RULES: dict[str, str] = {}
_STATE = {"on": False}
_DONE: set[tuple[int, str, str]] = set()


def active() -> bool:
    """Whether strict mode is on in this process."""
    return _STATE["on"]


def set_strict(on: bool) -> None:
    _STATE["on"] = on


def wrap(owner: Any, name: str, make: Callable[[Any], Any], *, classmethod_: bool = False) -> None:
    """Replace ``owner.name`` by ``make(original)`` once per ``make`` (idempotent), keeping moto's code underneath."""
    key = (id(owner), name, f"{make.__module__}.{make.__qualname__}")
    if key in _DONE:
        return
    current = owner.__dict__.get(name) if classmethod_ else getattr(owner, name)
    func = current.__func__ if classmethod_ else current
    fn = make(func)
    if getattr(func, "_mlprov_patched", False):  # keep patches.py's mark visible, or a second apply_patches()
        fn._mlprov_patched = True  # would wrap its patch again (twice the effect)
    setattr(owner, name, classmethod(fn) if classmethod_ else fn)
    _DONE.add(key)


def install() -> dict[str, str]:
    """Install every rule (idempotent); returns :data:`RULES`."""
    from mlprov.local_aws.strict import (  # noqa: PLC0415
        access_logs,
        adopt,
        artifact_store,
        codecommit,
        endpoint_dns,
        endpoint_subnets,
        endpoint_zones,
        existing,
        expected_owner,
        hosted_zone,
        private_dns,
        replacement,
        rollback,
        template_size,
    )

    for rule in (template_size, private_dns, hosted_zone, endpoint_zones, endpoint_subnets, endpoint_dns, existing,
                 replacement, rollback, adopt, access_logs, artifact_store, codecommit, expected_owner):
        rule.install()
        RULES[rule.RULE] = rule.SOURCE
    return dict(RULES)
