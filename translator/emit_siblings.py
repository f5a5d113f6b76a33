"""The temporary siblings of an output folder, and cleaning up after a killed run.

A run writes the new tree into ``.DIR.ct-new-<pid>-<random>`` and moves the old one to
``.DIR.ct-old-<pid>-<random>`` while it swaps them. Beside each, a lock file
(``<sibling>.pid``) holds the writer's process id while the sibling exists. A run killed
with SIGKILL cannot remove them; the next run on DIR does, but only siblings that are
provably ours and stale: the name pattern, a lock file naming that very process id, the
same owner, and no process of that id alive. A folder left in the middle of a swap (DIR
itself moved away) is put back instead of removed.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

LOCK_SUFFIX = ".pid"


def make_sibling(out_dir: Path, kind: str) -> Path:
    """A new empty folder beside ``out_dir``, with its lock file."""
    pid = os.getpid()
    path = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.ct-{kind}-{pid}-", dir=out_dir.parent))
    lock(path).write_text(f"{pid}\n", encoding="ascii")
    return path


def lock(sibling: Path) -> Path:
    return sibling.with_name(sibling.name + LOCK_SUFFIX)


def release(sibling: Path) -> None:
    """Remove ``sibling`` (if still there) and then its lock file."""
    shutil.rmtree(sibling, ignore_errors=True)
    lock(sibling).unlink(missing_ok=True)


def remove_stale_siblings(out_dir: Path) -> list[Path]:
    """Remove (or put back as ``out_dir``) the siblings killed runs left; return them."""
    parent = out_dir.parent
    pattern = re.compile(rf"\.{re.escape(out_dir.name)}\.ct-(new|old)-(\d+)-[A-Za-z0-9_]+")
    try:
        names = os.listdir(parent)
    except OSError:
        return []
    removed = []
    for name in sorted(names):
        match = pattern.fullmatch(name.removesuffix(LOCK_SUFFIX))
        if not match:
            continue
        sibling = parent / match.group(0)
        if not _provably_stale(sibling, int(match.group(2))):
            continue
        if sibling.is_dir() and match.group(1) == "old" and not os.path.lexists(out_dir):
            os.rename(sibling, out_dir)  # killed between the two renames of the swap
        release(sibling)
        removed.append(sibling)
    return removed


def _provably_stale(sibling: Path, pid: int) -> bool:
    try:
        info = lock(sibling).lstat()
        text = lock(sibling).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or text != f"{pid}\n":
        return False
    if os.path.lexists(sibling):
        folder = sibling.lstat()
        if not stat.S_ISDIR(folder.st_mode) or folder.st_uid != os.getuid():
            return False
    return pid != os.getpid() and not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, another user's
        return True
    return True
