"""Exceptions raised by reporter; the CLI turns any ReporterError into a one-line message."""

from __future__ import annotations


class ReporterError(Exception):
    """Base of every error that a user, not a bug, can cause."""

    exit_code = 2


class UsageError(ReporterError):
    """Raise when the command line or a path given by the user is wrong."""

    exit_code = 2


class ArticleError(ReporterError):
    """Raise when one article cannot be read; the run skips it and goes on."""


class NothingToReadError(ReporterError):
    """Raise when no article at all could be read."""

    exit_code = 1


class OutputError(ReporterError):
    """Raise when the briefing cannot be written."""

    exit_code = 1


class ClusterError(ReporterError):
    """Raise when the Dask scheduler given with --scheduler cannot be reached or used."""

    exit_code = 1


class FailOnMatched(ReporterError):
    """Raise when the briefing holds what --fail-on names: it was written, and CI should stop."""

    exit_code = 3
