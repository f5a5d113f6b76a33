"""The command line (typer): the only package that prints or exits.

``app`` builds the commands and owns the exit codes; each command lives in its own
module (``config``, ``convert``, ``deploy`` ...), the options they share in ``options``.
"""

from __future__ import annotations

from translator.cli.app import main

__all__ = ["main"]
