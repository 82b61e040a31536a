"""A version of the data folder read out of git (`origin/main:data/`), as carefully as a working tree.

`python -m showcase diff BASE` checks the BASE version with the same loader and checks as `make
check`, so that version is written out into a fresh temporary folder first, from git's objects and
never from a checkout: what the tree holds is hostile like any contributed file. Each tree entry's
mode says what it is before anything is read: a symlink (120000) or a submodule (160000) is never
written out, only reported, with the message the working tree's check gives (`files.py`); a path
that would leave the folder (`..`, `.git`, an empty part) is refused; no file is read past the
largest size any reader of the data accepts, plus one byte, so that the reader still says the file
is too large, exactly as it says it of a file in the working tree. The YAML's own limits (depth,
list lengths, aliases) are the loader's, which reads these files as it reads any other.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from dataclasses import dataclass

from . import files, loader, media
from .problems import Problem

# The most any reader of the data reads of one file (the YAML files and source texts: 10 MB,
# photos: 20 MB); one byte more tells it the file is too large.
BLOB_CAP = max(loader.MAX_FILE_BYTES, media.MAX_BYTES) + 1
# Entries of the data folder written out at most: more is not a data folder.
MAX_ENTRIES = 50_000
_CHUNK = 1 << 20


class GitError(Exception):
    """The version cannot be read at all; `str(error)` is the Chinese message."""


@dataclass(frozen=True)
class Entry:
    mode: str      # "100644", "120000" …
    kind: str      # "blob", "commit"
    oid: str
    size: int      # -1 for what is not a blob
    path: str      # relative to the data folder, "/"-separated


def _git(repo: str, *args: str, input: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(["git", "-C", repo, "--literal-pathspecs", *args], input=input,
                                capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("找不到 git 程序：请先安装 git") from None
    if result.returncode != 0:
        raise GitError(result.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} 失败")
    return result.stdout


def repository_of(folder: str) -> tuple[str, str]:
    """The top folder of the git repository holding `folder`, and `folder`'s path inside it
    ("data"). Raises GitError when `folder` is not in a repository."""
    try:
        top = _git(folder, "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip()
    except GitError:
        raise GitError(f"{folder} 不在 git 仓库里：要与 git 中的版本比较，请在仓库中运行") from None
    inside = os.path.relpath(os.path.realpath(folder), os.path.realpath(top))
    return top, "" if inside == os.curdir else inside.replace(os.sep, "/")


def resolve(repo: str, ref: str) -> str:
    """The commit `ref` names (a branch, tag, `HEAD^1`, a hash), as its full hash."""
    if not ref or ref.startswith("-"):
        raise GitError(f"“{ref}” 不是 git 版本名")
    try:
        return _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"在 git 仓库中找不到版本 “{ref}”：请写分支名（如 origin/main）、标签或提交号；"
                       "分支若在远程，请先 git fetch") from None


def entries(repo: str, commit: str, path: str) -> list[Entry]:
    """Every entry under `path` in the tree of `commit` (folders walked; symlinks and submodules
    listed, not followed)."""
    args = ["ls-tree", "-r", "-z", "--long", "--full-tree", commit]
    if path:
        args += ["--", path]
    found = []
    prefix = path + "/" if path else ""
    for record in _git(repo, *args).split(b"\0"):
        if not record:
            continue
        header, _, name = record.partition(b"\t")
        mode, kind, oid, size = header.decode("ascii").split()
        name_text = name.decode("utf-8", "surrogateescape")
        relative = name_text[len(prefix):] if name_text.startswith(prefix) else name_text
        if name_text == path:  # the folder itself is a symlink or a submodule
            relative = ""
        found.append(Entry(mode, kind, oid, int(size) if size.isdigit() else -1, relative))
    return found


def _refusal(entry: Entry) -> str | None:
    if entry.mode == "120000":
        return files.SYMLINK
    if not entry.mode.startswith("100") or entry.kind != "blob":
        return files.NOT_REGULAR
    parts = entry.path.split("/")
    if any(part in ("", ".", "..", ".git") for part in parts):
        return files.OUTSIDE
    return None


def export(repo: str, ref: str, path: str, dest: str, shown_as: str) -> tuple[str, list[Problem]]:
    """Write the data folder `path` of version `ref` into the empty folder `dest`; returns the
    commit and the problems found in the tree itself (symlinks, submodules, paths that leave the
    folder), named `shown_as/<file>`. Raises GitError when the version or the folder is missing."""
    commit = resolve(repo, ref)
    listed = entries(repo, commit, path)
    if not listed:
        raise GitError(f"版本 “{ref}” 中没有 {path or '数据'} 文件夹")
    problems: list[Problem] = []
    if len(listed) > MAX_ENTRIES:
        problems.append(Problem(shown_as, 1, 1, "", f"文件夹中有 {len(listed)} 个文件，超过 {MAX_ENTRIES} 个的上限："
                                                  "只读取前面这些"))
        listed = listed[:MAX_ENTRIES]
    wanted = []
    for entry in listed:
        reason = _refusal(entry) if entry.path else (files.SYMLINK if entry.mode == "120000" else files.NOT_REGULAR)
        if reason:
            problems.append(Problem(posixpath.join(shown_as, entry.path) if entry.path else shown_as, 1, 1, "", reason))
        else:
            wanted.append(entry)
    problems += _write_blobs(repo, wanted, dest, shown_as)
    return commit, problems


def _write_blobs(repo: str, wanted: list[Entry], dest: str, shown_as: str) -> list[Problem]:
    """Each blob of `wanted` into `dest`, cut at BLOB_CAP bytes, through one `git cat-file --batch`;
    the problems of those that cannot be written (two entries of one name in a crafted tree)."""
    if not wanted:
        return []
    problems = []
    try:
        process = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError("找不到 git 程序：请先安装 git") from None
    try:
        for entry in wanted:
            process.stdin.write(entry.oid.encode("ascii") + b"\n")
            process.stdin.flush()
            header = process.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise GitError(f"git 中读不到文件 {entry.path}")
            out = _create(os.path.join(dest, *entry.path.split("/")))
            if out is None:
                problems.append(Problem(posixpath.join(shown_as, entry.path), 1, 1, "",
                                        "无法读出（同一位置有两个同名的条目）：请删除多余的一个"))
            remaining, kept = int(header[2]), 0
            while remaining:
                chunk = process.stdout.read(min(_CHUNK, remaining))
                if not chunk:
                    raise GitError(f"git 中读不到文件 {entry.path}")
                remaining -= len(chunk)
                if out is not None and kept < BLOB_CAP:
                    out.write(chunk[:BLOB_CAP - kept])
                    kept += min(len(chunk), BLOB_CAP - kept)
            if out is not None:
                out.close()
            process.stdout.read(1)  # the newline after each object
    finally:
        process.stdin.close()
        process.stdout.close()
        process.wait()
    return problems


def _create(target: str):
    """A new file at `target` in our own fresh folder, or None when the place is taken. O_EXCL
    and O_NOFOLLOW all the same: nothing in that folder is a link, and no file is written twice."""
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError:
        return None
    return os.fdopen(fd, "wb")
