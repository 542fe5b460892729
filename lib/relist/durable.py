"""Durable renames: a rename is on disk only once its folder is synced too (POSIX)."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(directory: Path) -> None:
    """Make renames in `directory` durable (POSIX; Windows syncs directory entries itself)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
