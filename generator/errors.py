"""One exception root and the published exit codes.

Every error the tool raises on purpose derives from :class:`MlprovError`. The boundary in
:mod:`mlprov.boundary` maps each class to its exit code; anything else is a bug (exit 4).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes published in the README."""

    OK = 0
    FINDINGS = 1  # gate findings, drift, changes refused
    USAGE = 2  # bad input or usage
    AWS = 3  # an AWS call failed
    BUG = 4  # unexpected error: traceback written to the log
    INCOMPLETE = 5  # a verdict that could not be reached: some resource was not checked (AccessDenied, 5xx, ...)


class MlprovError(Exception):
    """Root of every error raised on purpose. ``hint`` says what to do about it."""

    exit_code: ExitCode = ExitCode.BUG

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def lines(self) -> list[str]:
        """The lines shown to the user: the message, then the hint if any."""
        out = [self.message]
        if self.hint:
            out.append(f"hint: {self.hint}")
        return out


class UserError(MlprovError):
    """Bad input or usage: a config, a path, an option. Exit 2."""

    exit_code = ExitCode.USAGE


class ConfigErrors(UserError):
    """Several problems found in one config file; one line each, naming file, field and fix."""

    def __init__(self, path: str, problems: list[str]) -> None:
        super().__init__(f"{path}: {len(problems)} problem(s)")
        self.path = path
        self.problems = problems

    def lines(self) -> list[str]:
        return [f"{self.path}: {p}" for p in self.problems]


class FindingsError(MlprovError):
    """Gate findings, drift, or a change refused. Exit 1."""

    exit_code = ExitCode.FINDINGS


class IncompleteError(MlprovError):
    """Nothing wrong was found, but not everything could be checked: no verdict. Exit 5."""

    exit_code = ExitCode.INCOMPLETE


class AwsError(MlprovError):
    """An AWS call failed. Exit 3."""

    exit_code = ExitCode.AWS
