"""The Docker Swarm target: one v3.13 stack file for ``docker stack deploy``.

target.py renders; keys.py says what each compose key and environment setting becomes;
service.py and deploy.py hold the key handlers; resources.py the stack-level objects.
"""

from __future__ import annotations

from translator.targets.swarm.common import check_name, escape_dollars
from translator.targets.swarm.target import TARGET, SwarmTarget, sanitize

__all__ = ["TARGET", "SwarmTarget", "check_name", "escape_dollars", "sanitize"]
