"""compose-translator: compose files in, Kubernetes, Swarm and Marathon deployments out.

The public API lives in :mod:`translator.api`; this module stays import-light so
that the CLI starts fast.
"""

from __future__ import annotations

__version__ = "0.1.0"
