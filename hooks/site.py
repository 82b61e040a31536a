"""MkDocs hooks: glue only. Loading, checking and page generation live in `showcase/`,
which never imports MkDocs, so tests run it without a build."""

from __future__ import annotations

import os
from html import escape

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc

from showcase.dataset import load_dataset
from showcase.graph import build_graph
from showcase.pages import Page, generate_pages

# Rebuilt in every on_config: `mkdocs serve` keeps this module loaded across rebuilds.
_pages: dict[str, Page] = {}


def on_config(config):
    root = os.path.dirname(config.config_file_path)
    dataset, report = load_dataset(os.path.join(root, "data"), display_dir="data")
    if report:
        raise PluginError("数据文件有问题，网站未构建：\n" + report.format())
    templates = os.path.join(root, "overrides", "showcase")
    _pages.clear()
    _pages.update((page.path, page) for page in generate_pages(build_graph(dataset), templates))
    return config


def on_files(files, config):
    for page in _pages.values():
        if files.get_file_from_path(page.path) is not None:
            raise PluginError(f"docs/{page.path} 与自动生成的页面重名：请删除或改名该文件")
        inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        # The body is swapped in by on_page_content: the stub keeps data out of Markdown.
        files.append(File.generated(config, page.path, content="", inclusion=inclusion))
    return files


def on_page_markdown(markdown, page, config, files):
    generated = _pages.get(page.file.src_uri)
    if generated is not None:
        # Material prints page titles as HTML (and `striptags` un-escapes): give it escaped text.
        page.meta["title"] = escape(generated.title)
        page.meta["description"] = escape(generated.description, quote=True)
    return markdown


def on_page_content(html, page, config, files):
    generated = _pages.get(page.file.src_uri)
    if generated is None:
        return html
    page.toc = get_toc(_toc_tokens(generated))
    return generated.html


def _toc_tokens(page: Page) -> list[dict]:
    tokens: list[dict] = []
    for level, anchor, name in page.toc:
        token = {"level": level, "id": anchor, "name": name, "children": []}
        if level == 3 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens
