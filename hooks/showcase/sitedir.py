"""The site folder on disk: what may be published into it, how a build replaces it in one
step, and what the preview removes from it. No MkDocs import: `hooks/site.py` calls these.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import tempfile

from .files import unsafe_files
from .problems import shown

# `mkdocs build` writes into a folder of its own beside the site folder and moves it into place
# once the site is complete, search index included (in .gitignore). "<pid>-" lets a later build
# remove what a killed one left behind.
SITE_BUILD_PREFIX = ".site-build-"


class PublishRefused(Exception):
    """Files under a published folder that must not be published; the message lists them."""


def refuse_unsafe_published_files(root: str, folders: list[str | None]) -> None:
    """Raise PublishRefused when a folder MkDocs publishes from (docs/, the theme's overrides/)
    holds a symlink or a special file: MkDocs would copy what it points to (the build's
    environment, .git/config with its token) into the site. Called before anything is copied."""
    lines = []
    for folder in folders:
        if folder and os.path.isdir(folder):
            for path, reason in unsafe_files(folder):
                name = os.path.relpath(os.path.join(folder, path), root).replace(os.sep, "/")
                lines.append(f"{shown(name)}：{reason}")
    if lines:
        raise PublishRefused("网站未构建：以下文件不能发布：\n" + "\n".join(lines))


class PrivateBuild:
    """A build into a new folder beside the site folder, moved into place when complete. So an
    interrupted or failed build leaves the previous site as it was, never a half one that a
    deploy would publish, and two builds in one checkout do not mix their files."""

    def __init__(self, site_dir: str) -> None:
        self.site_dir = os.path.abspath(site_dir)
        parent = os.path.dirname(self.site_dir)
        os.makedirs(parent, exist_ok=True)
        _remove_abandoned_builds(parent)
        self.folder = tempfile.mkdtemp(prefix=f"{SITE_BUILD_PREFIX}{os.getpid()}-", dir=parent)
        os.chmod(self.folder, 0o755)  # mkdtemp makes it private to its owner; a web server must read the site

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def move_into_place(self) -> None:
        """Replace the site folder by the built one with renames (the old site leaves through a
        folder of this run's own and is deleted). Another build may move its site in at the same
        moment: then a rename finds the place taken or emptied, and this run tries again (the
        last one wins)."""
        parent = os.path.dirname(self.site_dir)
        holder = tempfile.mkdtemp(prefix=f"{SITE_BUILD_PREFIX}{os.getpid()}-old-", dir=parent)
        try:
            for attempt in range(100):
                try:
                    if os.path.lexists(self.site_dir):
                        os.rename(self.site_dir, os.path.join(holder, str(attempt)))
                    os.rename(self.folder, self.site_dir)
                    return
                except FileNotFoundError:
                    continue  # another build moved the old site away first
                except OSError as error:
                    if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                        raise
                    # another build moved its site in between our two renames
            raise PublishRefused(f"网站已构建，但无法放到 {self.site_dir}（另一个构建一直在替换它）：请重新运行 make build")
        finally:
            shutil.rmtree(holder, ignore_errors=True)


def _remove_abandoned_builds(parent: str) -> None:
    """Remove the private folders of builds that were killed (their process is gone)."""
    for name in os.listdir(parent):
        match = re.fullmatch(re.escape(SITE_BUILD_PREFIX) + r"(\d+)-.*", name)
        if match and not _process_alive(int(match.group(1))):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_stale_outputs(site_dir: str, stale: set[str]) -> None:
    """Preview (`serve --dirty` never deletes output): remove the files the previous build wrote
    for sources that are gone (`stale`: site paths, "units/x/index.html"), such as the page of a
    unit that was deleted or renamed, so that its old address answers 404, not the old record."""
    site_root = os.path.abspath(site_dir)
    for uri in stale:
        path = os.path.join(site_root, *uri.split("/"))
        if os.path.isfile(path) and not os.path.islink(path):
            os.remove(path)
        folder = os.path.dirname(path)
        while folder != site_root and os.path.isdir(folder) and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)


def data_date(root: str, source_years: list[int]) -> str | None:
    """When the data last changed: the date of the last commit that touched data/ (a docs-only
    commit does not change it), else the newest year of the data's sources. Not
    SOURCE_DATE_EPOCH, which is the last commit of any path (it stays for file timestamps)."""
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "data"], cwd=root,
                                capture_output=True, text=True, timeout=10)
        committed = result.stdout.strip() if result.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        committed = ""
    if committed:
        return committed
    return str(max(source_years)) if source_years else None
