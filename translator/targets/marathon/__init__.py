"""The Marathon target: one group (PUT /v2/groups) or one app per service, Marathon 1.5+.

target.py renders; keys.py says what each compose key and environment setting becomes;
handlers.py holds the key handlers, helped by app.py, net.py and placement.py; losses.py
reports the values Marathon cannot express; checks.py the rules its schema misses.
"""

from __future__ import annotations

from translator.targets.marathon.target import LAYOUTS, TARGET, MarathonTarget

__all__ = ["LAYOUTS", "TARGET", "MarathonTarget"]
