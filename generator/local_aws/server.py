"""The embedded local AWS: a moto server on 127.0.0.1 in this process, with our CloudFormation models registered
and moto's CloudFormation gaps patched (both need the server in the same process as the models)."""

from __future__ import annotations

import contextlib
import logging
import socket
import warnings
from types import TracebackType
from typing import Any

from mlprov.environ import scoped_environ
from mlprov.errors import UserError
from mlprov.local_aws.patches import apply_patches
from mlprov.local_aws.registry import register_models
from mlprov.local_aws.strict import install as install_strict
from mlprov.local_aws.strict import set_strict

HOST = "127.0.0.1"
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def _check_free(port: int) -> None:
    """moto's threaded server waits forever when its port is taken: find that out first."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            raise UserError(f"port {port} on {HOST} is not free: {exc.strerror}",
                            hint="pick another with --port N (0 picks a free one)") from exc


class LocalAws:
    """``with LocalAws(port) as aws: aws.endpoint`` — the server runs until the block ends."""

    def __init__(self, port: int = 0, *, request_log: bool = False, strict: bool = False, iam: bool = False) -> None:
        """``strict``: refuse what AWS refuses for our stacks (:mod:`mlprov.local_aws.strict`); ``iam``: also enforce
        the caller's IAM policies (:mod:`mlprov.local_aws.strict.iam`, opt-in). Both process-wide while it runs."""
        self.port = port
        self.request_log = request_log
        self.strict = strict
        self.iam = iam
        self.endpoint = ""
        self._server: Any = None

    def start(self) -> str:
        _check_free(self.port)
        register_models()
        apply_patches()
        install_strict()
        set_strict(self.strict)
        from moto.server import ThreadedMotoServer  # noqa: PLC0415

        # werkzeug logs every request, and a traceback for each API moto lacks (DetectStackDrift: expected)
        logging.getLogger("werkzeug").setLevel(logging.INFO if self.request_log else logging.CRITICAL)
        # our models' errors carry the service's code, which CloudFormation's error model does not list: expected
        warnings.filterwarnings("ignore", message=r"Exception\(LocalAwsServiceError\)", category=UserWarning)

        self._server = ThreadedMotoServer(ip_address=HOST, port=self.port, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.port = int(port)
        self.endpoint = f"http://{host}:{port}"
        if self.iam:
            from mlprov.local_aws.strict.iam import enforce  # noqa: PLC0415

            enforce(True)
        return self.endpoint

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
            set_strict(False)
            if self.iam:
                from mlprov.local_aws.strict.iam import enforce  # noqa: PLC0415

                enforce(False)

    def __enter__(self) -> LocalAws:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


def dummy_credentials() -> contextlib.AbstractContextManager[None]:
    """Credentials that can only work on the local endpoint, for this process while the block runs; the
    environment is restored afterwards (a profile in use is set aside, not changed)."""
    return scoped_environ(dict(DUMMY_CREDENTIALS), remove=("AWS_SESSION_TOKEN", "AWS_PROFILE"))
