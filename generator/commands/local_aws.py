"""``local-aws [--port N] [--seed CONFIG...]``: the embedded local AWS in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import threading
from types import FrameType

from mlprov.commands import Command
from mlprov.commands._common import product
from mlprov.local_aws import LocalAws, registered_types
from mlprov.local_aws.fixtures import boto3_clients, seed
from mlprov.local_aws.server import DUMMY_CREDENTIALS, dummy_credentials
from mlprov.local_aws.strict import RULES

DEFAULT_PORT = 5000


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT}; 0: any free one)")
    parser.add_argument("--seed", metavar="CONFIG", nargs="*", default=[],
                        help="create what these configs reference (buckets, VPC, SSM parameters, SG export) before serving")
    parser.add_argument("--strict", action="store_true",
                        help="refuse what real AWS refuses for these stacks (docs/strict-local-aws.md lists the rules)")
    parser.add_argument("--iam", action="store_true",
                        help="with --strict: enforce the caller's IAM policies on API calls (moto's IAM; keys must exist there)")
    parser.add_argument("--request-log", action="store_true", help="log every request the server answers")


def _stop_on_sigterm(stop: threading.Event) -> None:
    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        from mlprov.errors import UserError  # noqa: PLC0415

        raise UserError(f"--port {args.port}: not a port number", hint="give 1-65535, or 0 for any free port")
    products = [product(name) for name in args.seed]
    stop = threading.Event()
    with LocalAws(args.port, request_log=args.request_log, strict=args.strict, iam=args.iam) as aws:
        print(f"local AWS on {aws.endpoint} (moto server, in memory: everything is lost when it stops)")
        print(f"CloudFormation models added for: {', '.join(registered_types())}")
        if args.strict:
            print(f"strict: refusing what AWS refuses ({', '.join(sorted(RULES))})")
        if products:
            with dummy_credentials():
                clients = boto3_clients(aws.endpoint)
                for prod in products:
                    for line in seed(prod, clients).created:
                        print(f"seeded for {prod.name}: {line}")
        creds = " ".join(f"{k}={v}" for k, v in DUMMY_CREDENTIALS.items())
        print("use it from another shell:")
        print(f"  export AWS_ENDPOINT_URL={aws.endpoint}")
        print(f"  export {creds}   # dummy credentials: only this endpoint accepts them")
        print(f"  or pass --endpoint-url {aws.endpoint} to the AWS actions (show-changes, deploy-product, ...)")
        print("Ctrl-C stops it.", flush=True)
        _stop_on_sigterm(stop)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    print("local AWS stopped", flush=True)
    return 0


COMMAND = Command("local-aws", "run the embedded local AWS (moto + our CloudFormation models) until Ctrl-C", configure, run)
