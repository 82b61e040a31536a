"""MkDocs hooks: glue only. Loading, checking and page generation live in `showcase/`,
which never imports MkDocs, so tests run it without a build."""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from html import escape

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc
from mkdocs.utils import CountHandler

from showcase.dataset import load_dataset
from showcase.files import unsafe_files
from showcase.graph import build_graph
from showcase.incremental import plan_reuse
from showcase.opendata import open_data_files
from showcase.pages import Page, error_page, generate_pages
from showcase.search import BackgroundIndexer, SearchIndexError, index_site
from showcase.structured import atom_feed, json_feed, script_json, structured_data

# `mkdocs serve` keeps this module loaded across rebuilds (hooks are not reloaded), so the
# last good build survives an invalid edit and the next build can reuse its pages; everything
# else is rebuilt in every on_config.
_state: dict = {
    "command": None,
    "pages": {},          # path → Page of this build
    "changed": set(),     # paths whose page differs from the previous build's
    "last_good": None,    # (graph, pages) of the last build with valid data
    "rebuild_all": True,  # the error banner came or went: every page must be rendered again
    "failing": False,     # the last build had invalid data
    "static": {},         # site path → text of the open-data files and feeds
    "graph": None,
    "indexer": None,      # the preview's background search indexer (serve only)
    "building": None,     # `mkdocs build`: (the private folder being built, the site folder it replaces)
    "outputs": set(),     # serve: the site paths the previous build wrote for its files
}

# `mkdocs build` writes into a folder of its own beside the site folder and moves it into place
# once the site is complete, search index included (in .gitignore). "<pid>-" lets a later build
# remove what a killed one left behind.
SITE_BUILD_PREFIX = ".site-build-"


class _GeneratedFile(File):
    """A generated page that tells `mkdocs serve --dirty` the truth: modified only when its
    content differs from the previous build's (MkDocs assumes every generated file changed)."""

    def is_modified(self) -> bool:
        return _state["rebuild_all"] or self.src_uri in _state["changed"]


def on_startup(command, dirty):
    _state["command"] = command
    if command == "serve" and _state["indexer"] is None:
        _state["indexer"] = BackgroundIndexer()


def on_shutdown():
    if _state["indexer"] is not None:
        _state["indexer"].cancel()
    _discard_private_site()  # interrupted (Ctrl-C): the site folder stays as it was


def on_config(config):
    if _state["indexer"] is not None:
        _state["indexer"].cancel()  # a rebuild: the pages being indexed are about to change
    if not config.repo_url:
        config.edit_uri = None  # a local build has no repository host: no edit links, no warning
    root = os.path.dirname(config.config_file_path)
    _refuse_unsafe_files(root, [config.docs_dir, config.theme.custom_dir])
    dataset, report = load_dataset(os.path.join(root, "data"), display_dir="data",
                                   remember=_state["command"] == "serve")
    errors = report.format().splitlines() if report else []
    was_failing, _state["failing"] = _state["failing"], bool(errors)  # config is new in every rebuild
    config.extra["showcase_errors"] = errors
    previous = _state["pages"]
    if report:
        if _state["command"] != "serve":
            raise PluginError("数据文件有问题，网站未构建：\n" + report.format())
        # Preview: keep serving, show the problems on every page, recover on the next save.
        print("\n数据文件有问题，预览显示的是上一次正确的数据：\n" + report.format() + "\n", file=sys.stderr)
        _state["pages"] = _state["last_good"][1] if _state["last_good"] else {p.path: p for p in [error_page()]}
    else:
        templates = os.path.join(root, "overrides", "showcase")
        graph = build_graph(dataset)
        reuse = None
        if _state["command"] == "serve" and _state["last_good"]:
            old_graph, old_pages = _state["last_good"]
            reuse = plan_reuse(old_graph, graph, old_pages)
        _state["static"] = {
            **open_data_files(dataset, graph),
            "feed.xml": atom_feed(graph, config.site_url, config.site_name),
            "feed.json": json_feed(graph, config.site_url, config.site_name),
        }
        downloads = {path: len(text.encode("utf-8")) for path, text in _state["static"].items()}
        pages = generate_pages(graph, templates, reuse=reuse, downloads=downloads,
                               updated=_data_date(root, dataset))
        _state["pages"] = {page.path: page for page in pages}
        _state["graph"] = graph
        _state["last_good"] = (graph, _state["pages"])
    # A record's line only shows in its edit link: without a repository (a local preview) an
    # edit that shifts the lines below it changes no page.
    shown = (lambda page: page) if config.repo_url else (lambda page: page and replace(page, record=None))
    _state["changed"] = {path for path, page in _state["pages"].items() if shown(previous.get(path)) != shown(page)}
    _state["rebuild_all"] = not previous or bool(errors) or was_failing
    if _state["command"] != "serve":
        _build_privately(config)
    return config


def on_files(files, config):
    for page in _state["pages"].values():
        if files.get_file_from_path(page.path) is not None:
            raise PluginError(f"docs/{page.path} 与自动生成的页面重名：请删除或改名该文件")
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        # The body is swapped in by on_page_content: the stub keeps data out of Markdown.
        files.append(_GeneratedFile.generated(config, page.path, content="", inclusion=inclusion))
    for path, text in _state["static"].items():  # open data and feeds: copied as they are
        files.append(File.generated(config, path, content=text.encode("utf-8")))
    if _state["rebuild_all"]:  # hand-written pages carry the banner too
        for file in files.documentation_pages():
            file.is_modified = lambda: True
    if _state["command"] == "serve":
        _remove_stale_outputs(config.site_dir, {file.dest_uri for file in files})
    return files


def on_page_markdown(markdown, page, config, files):
    generated = _state["pages"].get(page.file.src_uri)
    if generated is not None:
        # Material prints page titles as HTML (and `striptags` un-escapes): give it escaped text.
        page.meta["title"] = escape(generated.title)
        page.meta["description"] = escape(generated.description, quote=True)
        page.edit_url = _record_url(config, generated.record)
        structured = structured_data(_state["graph"], page.file.src_uri, config.site_url)
        if structured is not None:
            page.meta["showcase_jsonld"] = script_json(structured)
        if generated.record:
            page.meta["showcase_record"] = f"{generated.record[0]} 第 {generated.record[1]} 行"
    return markdown


def on_page_content(html, page, config, files):
    generated = _state["pages"].get(page.file.src_uri)
    if generated is None:
        return html
    page.toc = get_toc(_toc_tokens(generated))
    return generated.html


def on_post_build(config):
    if _state["indexer"] is not None:
        # Preview: the rebuilt pages are served now; search catches up in a few seconds
        # (showcase/search.py, BackgroundIndexer). Waiting here would delay every page update.
        _state["indexer"].start(config.site_dir)
        return
    try:
        index_site(config.site_dir)  # `mkdocs build`: the site is complete with its index
    except SearchIndexError as error:
        raise PluginError(str(error)) from error
    if config.strict and _strict_warnings():
        return  # MkDocs aborts right after this hook: the site folder stays as it was
    if _state["building"] is not None:
        built, site_dir = _state["building"]
        _state["building"] = None
        _move_into_place(built, site_dir)
        config.site_dir = site_dir  # for what runs after the build (gh-deploy reads it)


def on_build_error(error):
    _discard_private_site()


def _refuse_unsafe_files(root: str, folders: list[str | None]) -> None:
    """Abort before anything is copied when a folder MkDocs publishes from (docs/, the theme's
    overrides/) holds a symlink or a special file: MkDocs would copy what it points to (the
    build's environment, .git/config with its token) into the site."""
    lines = []
    for folder in folders:
        if folder and os.path.isdir(folder):
            for path, reason in unsafe_files(folder):
                shown = os.path.relpath(os.path.join(folder, path), root).replace(os.sep, "/")
                lines.append(f"{_printable(shown)}：{reason}")
    if lines:
        raise PluginError("网站未构建：以下文件不能发布：\n" + "\n".join(lines))


def _printable(text: str) -> str:
    """A file name as it can be printed in a terminal: invisible characters as U+XXXX."""
    return "".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in text)


def _build_privately(config) -> None:
    """Point the build at a new folder beside the site folder; on_post_build moves it into
    place. So an interrupted or failed build leaves the previous site as it was, never a half
    one that a deploy would publish, and two builds in one checkout do not mix their files."""
    _discard_private_site()
    site_dir = os.path.abspath(config.site_dir)
    parent = os.path.dirname(site_dir)
    os.makedirs(parent, exist_ok=True)
    _remove_abandoned_builds(parent)
    built = tempfile.mkdtemp(prefix=f"{SITE_BUILD_PREFIX}{os.getpid()}-", dir=parent)
    os.chmod(built, 0o755)  # mkdtemp makes it private to its owner; a web server must read the site
    _state["building"] = (built, site_dir)
    config.site_dir = built


def _move_into_place(built: str, site_dir: str) -> None:
    """Replace `site_dir` by `built` with renames (the old site leaves through a folder of this
    run's own and is deleted). Another build may move its site in at the same moment: then the
    rename finds the place taken or emptied, and this run tries again (the last one wins)."""
    parent = os.path.dirname(site_dir)
    holder = tempfile.mkdtemp(prefix=f"{SITE_BUILD_PREFIX}{os.getpid()}-old-", dir=parent)
    try:
        for attempt in range(100):
            try:
                if os.path.lexists(site_dir):
                    os.rename(site_dir, os.path.join(holder, str(attempt)))
                os.rename(built, site_dir)
                return
            except FileNotFoundError:
                continue  # another build moved the old site away first
            except OSError as error:
                if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise
                # another build moved its site in between our two renames
        raise PluginError(f"网站已构建，但无法放到 {site_dir}（另一个构建一直在替换它）：请重新运行 make build")
    finally:
        shutil.rmtree(holder, ignore_errors=True)


def _discard_private_site() -> None:
    if _state["building"] is not None:
        shutil.rmtree(_state["building"][0], ignore_errors=True)
        _state["building"] = None


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


def _strict_warnings() -> bool:
    """Whether MkDocs counted warnings in this build (with --strict it aborts after post_build)."""
    return any(isinstance(handler, CountHandler) and handler.get_counts()
               for handler in logging.getLogger("mkdocs").handlers)


def _remove_stale_outputs(site_dir: str, outputs: set[str]) -> None:
    """Preview (`serve --dirty` never deletes output): remove what the previous build wrote for
    files that are gone, such as the page of a unit that was deleted or renamed, so that its
    old address answers 404 instead of the old record."""
    stale, _state["outputs"] = _state["outputs"] - outputs, outputs
    site_root = os.path.abspath(site_dir)
    for uri in stale:
        path = os.path.join(site_root, *uri.split("/"))
        if os.path.isfile(path) and not os.path.islink(path):
            os.remove(path)
        folder = os.path.dirname(path)
        while folder != site_root and os.path.isdir(folder) and not os.listdir(folder):
            os.rmdir(folder)
            folder = os.path.dirname(folder)


def _data_date(root: str, dataset) -> str | None:
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
    years = [source.year for source in dataset.units.sources if source.year is not None]
    return str(max(years)) if years else None


def _record_url(config, record: tuple[str, int] | None) -> str | None:
    """The record's line in its data file on the repository host ("编辑此条目")."""
    if not record or not config.repo_url:
        return None
    branch = re.match(r"(?:edit|blob)/([^/]+)/", config.edit_uri or "")
    return f"{config.repo_url.rstrip('/')}/blob/{branch.group(1) if branch else 'main'}/{record[0]}#L{record[1]}"


def _toc_tokens(page: Page) -> list[dict]:
    tokens: list[dict] = []
    for level, anchor, name in page.toc:
        token = {"level": level, "id": anchor, "name": name, "children": []}
        if level == 3 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens
