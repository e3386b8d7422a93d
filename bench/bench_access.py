"""Figures of issue 10, per shipped example: oracle sufficiency denials and blast-radius allows (with the number of
requests simulated), and each principal's policy size against IAM's limits. Prints figures; not a test.

Run from the repository root: ``PYTHONPATH=. .venv/bin/python bench/bench_access.py``.
"""

from __future__ import annotations

from mlprov.access import iamref
from mlprov.access.accountroles import tool_actions
from mlprov.access.principals import MANAGED_POLICY_LIMIT, MAX_POLICIES, iam_size

from tests.conftest import PRODUCTS
from tests.iam.access_fixtures import TEST_SUFFIX, failures, principals, product, run, template
from tests.iam.attacks import corpus
from tests.iam.model import Labeled, resource_requests, tool_requests
from tests.iam.test_blast_radius import _boundary
from tests.iam.test_sufficiency import _service_role_requests


def main() -> None:
    total = 0
    print(f"{'example':<78} {'suff. req':>9} {'denied':>6} {'attack req':>10} {'allowed':>7}  sizes (chars / policies)")
    for path in PRODUCTS:
        prod = product(path)
        ps = principals(path)
        suff = run(ps["cloudformation-service-role"], _service_role_requests(path))
        for kind in ("deployer", "plan", "drift"):
            reqs = list(tool_requests(prod, template(path), tool_actions(kind)))
            reqs += [Labeled(x.label, x.request) for x in tool_requests(prod.for_test(TEST_SUFFIX), template(path, TEST_SUFFIX),
                                                                         tool_actions(kind))]
            if kind == "drift":
                reqs += [x for x in resource_requests(prod, template(path), ("read",)) if iamref.is_read_only(x.request.action)]
            suff += run(ps[kind], reqs)
        attacks = corpus(prod, enterprise_boundary=_boundary(path)[0], own_role=ps["cloudformation-service-role"]["arn"])
        blast = [r for kind in ps for r in run(ps[kind], attacks)]
        denied, allowed = len(failures(suff, want_allowed=True)), len(failures(blast, want_allowed=False))
        total += len(suff) + len(blast)
        sizes = " ".join(f"{k[:6]}={sum(iam_size(d) for d in p['policies'])}/{len(p['policies'])}" for k, p in ps.items())
        print(f"{path.stem:<78} {len(suff):>9} {denied:>6} {len(blast):>10} {allowed:>7}  {sizes}")
    print(f"requests simulated: {total}; limits: {MAX_POLICIES} managed policies per role, {MANAGED_POLICY_LIMIT} characters each")


if __name__ == "__main__":
    main()
