"""What the preview keeps of the theme's Jinja environment between rebuilds.

`mkdocs serve` makes a new Jinja environment for every rebuild, so every template is read, parsed
and compiled again (Material's base.html and partials, our overrides: about 0.95 s of a 2 s
rebuild at the growth shape), and the theme's folders are walked again to find its static files
(Material ships about 14,500 files, most of them icons: another 0.4 s). Neither changes between
two saves of a data file. No MkDocs import: hooks/site.py attaches these under `serve` only.
"""

from __future__ import annotations

import os

from jinja2 import BytecodeCache, FileSystemLoader
from jinja2.bccache import Bucket


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory for the next rebuild's environment.

    Jinja's own mechanism for this: each bucket is keyed by the template's name and file and
    checks the source's checksum when it is loaded, so an edited template is compiled again and
    the others are not."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


# folder → the names in it (hidden folders left out): the installed theme's, walked once per process
_LISTED: dict[str, list[str]] = {}


class ThemeLoader(FileSystemLoader):
    """The theme's FileSystemLoader, whose listing walks the folders that can change (those
    under `changing`, the project's overrides/) at every call and the installed theme's once.

    The listing is only used to find the theme's static files, and MkDocs leaves out every name
    with a component that starts with "." (its patterns `.*` and `*/.*`): the installed theme's
    hidden folders (Material's .icons, 14,000 files) are not listed at all, which is the same
    result without the 14,000 pattern matches."""

    def __init__(self, searchpath: list[str], changing: str) -> None:
        super().__init__(searchpath)
        self._changing = os.path.join(os.path.abspath(changing), "")

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            if os.path.join(os.path.abspath(folder), "").startswith(self._changing):
                found.update(FileSystemLoader(folder).list_templates())
                continue
            if folder not in _LISTED:
                _LISTED[folder] = _visible_names(folder)
            found.update(_LISTED[folder])
        return sorted(found)


def _visible_names(folder: str) -> list[str]:
    names = []
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        relative = os.path.relpath(parent, folder).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        names.extend(prefix + name for name in files if not name.startswith("."))
    return names


def folder_stamp(folder: str | None) -> tuple:
    """What tells one state of a folder of templates from another: each file's name, size and
    modification time. The preview's pages are reused only while it stays the same (a template
    edit changes every page that uses it, and MkDocs' `--dirty` would write none of them)."""
    if not folder or not os.path.isdir(folder):
        return ()
    entries = []
    for parent, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(parent, name)
            try:
                info = os.stat(path, follow_symlinks=False)
            except OSError:
                continue
            entries.append((os.path.relpath(path, folder), info.st_size, info.st_mtime_ns))
    return tuple(entries)
