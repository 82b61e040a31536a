"""MkDocs hooks: glue only. Loading, checking and page generation live in `showcase/`,
which never imports MkDocs, so tests run it without a build."""

from __future__ import annotations

import os
import re
import sys
from html import escape

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

from showcase.dataset import load_dataset
from showcase.graph import build_graph
from showcase.pages import Page, error_page, generate_pages

# `mkdocs serve` keeps this module loaded across rebuilds (hooks are not reloaded), so the
# last good pages survive an invalid edit; everything else is rebuilt in every on_config.
_state: dict = {"command": None, "pages": {}, "last_good": {}}


def on_startup(command, dirty):
    _state["command"] = command


def on_config(config):
    if not config.repo_url:
        config.edit_uri = None  # a local build has no repository host: no edit links, no warning
    root = os.path.dirname(config.config_file_path)
    dataset, report = load_dataset(os.path.join(root, "data"), display_dir="data")
    config.extra["showcase_errors"] = []
    if report:
        if _state["command"] != "serve":
            raise PluginError("数据文件有问题，网站未构建：\n" + report.format())
        # Preview: keep serving, show the problems on every page, recover on the next save.
        print("\n数据文件有问题，预览显示的是上一次正确的数据：\n" + report.format() + "\n", file=sys.stderr)
        config.extra["showcase_errors"] = report.format().splitlines()
        _state["pages"] = _state["last_good"] or {p.path: p for p in [error_page()]}
        return config
    templates = os.path.join(root, "overrides", "showcase")
    _state["pages"] = {page.path: page for page in generate_pages(build_graph(dataset), templates)}
    _state["last_good"] = _state["pages"]
    return config


def on_files(files, config):
    for page in _state["pages"].values():
        if files.get_file_from_path(page.path) is not None:
            raise PluginError(f"docs/{page.path} 与自动生成的页面重名：请删除或改名该文件")
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        # The body is swapped in by on_page_content: the stub keeps data out of Markdown.
        files.append(File.generated(config, page.path, content="", inclusion=inclusion))
    return files


def on_page_markdown(markdown, page, config, files):
    generated = _state["pages"].get(page.file.src_uri)
    if generated is not None:
        # Material prints page titles as HTML (and `striptags` un-escapes): give it escaped text.
        page.meta["title"] = escape(generated.title)
        page.meta["description"] = escape(generated.description, quote=True)
        page.edit_url = _record_url(config, generated.record)
        if generated.record:
            page.meta["showcase_record"] = f"{generated.record[0]} 第 {generated.record[1]} 行"
    return markdown


def on_page_content(html, page, config, files):
    generated = _state["pages"].get(page.file.src_uri)
    if generated is None:
        return html
    page.toc = get_toc(_toc_tokens(generated))
    return generated.html


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
