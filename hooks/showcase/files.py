"""Reading contributed files safely: only regular files that lie inside a given root.

A pull request can add a symlink (`docs/env.txt -> /proc/self/environ`, `data/sources/x.txt ->
../../.git/config`), a FIFO or a device in place of a file; MkDocs and `open()` follow them and
would publish, or echo in an error message, what lies outside the repository. Every file the
check or the build reads from `data/`, `docs/` or `overrides/` goes through here: a symlink
anywhere on the path, anything that is not a regular file, or a path that resolves outside the
root is refused with a message that names the file and never shows its content.
"""

from __future__ import annotations

import os
import stat


class UnsafeFile(Exception):
    """A file that must not be read; `str(error)` is the Chinese message (without the path)."""


SYMLINK = "是符号链接（指向别处的快捷方式）：数据和页面只能是文件本身，请删除链接并放入真实的文件"
NOT_REGULAR = "不是普通文件（可能是管道、设备或文件夹）：请换成普通的文本文件"
UNREADABLE = "是无法读取的文件夹（没有读取权限）：请检查它的权限，或删除它"
OUTSIDE = "位于仓库之外：请把文件放进仓库里，不要用 .. 或符号链接指向别处"


def unsafe_reason(path: str, root: str) -> str | None:
    """Why the file at `path` must not be read as part of `root`, or None when it may be.

    Every component from `root` down to the file is looked at with lstat (no symlink is
    followed), and the resolved path must still lie inside the resolved root."""
    root_real = os.path.realpath(root)
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.path.abspath(root))
    if relative == os.curdir or relative.startswith(os.pardir + os.sep) or relative == os.pardir:
        return OUTSIDE
    current = os.path.abspath(root)
    for part in relative.split(os.sep):
        current = os.path.join(current, part)
        mode = os.lstat(current).st_mode  # FileNotFoundError for a missing file: the caller's to tell
        if stat.S_ISLNK(mode):
            return SYMLINK
    if not stat.S_ISREG(mode):
        return NOT_REGULAR
    real = os.path.realpath(absolute)
    if os.path.commonpath([real, root_real]) != root_real:
        return OUTSIDE
    return None


def read_regular_file(path: str, root: str, limit: int) -> bytes:
    """The first `limit + 1` bytes of the regular file at `path` inside `root` (one byte more
    than the limit, so that the caller can tell a file that is too large).

    Raises UnsafeFile (symlink, not a regular file, outside `root`), FileNotFoundError, OSError.
    The file is opened without following a final symlink and without blocking on a FIFO that
    appeared after the check, then checked again on the open descriptor."""
    reason = unsafe_reason(path, root)
    if reason:
        raise UnsafeFile(reason)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if os.path.islink(path):
            raise UnsafeFile(SYMLINK) from error
        raise
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise UnsafeFile(NOT_REGULAR)
        return f.read(limit + 1)


def unsafe_files(root: str) -> list[tuple[str, str]]:
    """Every entry under `root` that is not a regular file or a folder, as (path relative to
    `root` with "/", reason), sorted. Symlinked folders are reported and not entered."""
    found = []
    unreadable: list[OSError] = []
    for folder, dirs, files in os.walk(root, followlinks=False, onerror=unreadable.append):
        for name in sorted(dirs + files):
            full = os.path.join(folder, name)
            try:
                mode = os.lstat(full).st_mode
            except FileNotFoundError:
                continue  # removed while we looked: nothing left to publish
            if stat.S_ISLNK(mode):
                reason = SYMLINK
            elif stat.S_ISDIR(mode) or stat.S_ISREG(mode):
                continue
            else:
                reason = NOT_REGULAR
            found.append((os.path.relpath(full, root).replace(os.sep, "/"), reason))
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
    # A folder that cannot be listed could hold anything: it is told, not skipped in silence.
    found += [(os.path.relpath(e.filename, root).replace(os.sep, "/"), UNREADABLE) for e in unreadable
              if e.filename and os.path.abspath(e.filename) != os.path.abspath(root)]
    return sorted(found)
