from __future__ import annotations

from translator.cli import main

main()
