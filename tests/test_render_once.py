"""What the build does once instead of once a page (hooks/site.py, showcase/chrome.py: Material's
nav and footer cached for the record pages, no Markdown for the generated pages' empty stubs)
changes no byte of the site: the same data built as MkDocs would build it, with every page
rendering its own chrome through Python-Markdown, gives the same files."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import EPOCH
from showcase.chrome import Chrome, folder_key
from sitekit import MKDOCS_ENV, ROOT, RUNTIME, copy_project

# A second hook, after site.py: every page renders its own chrome and goes through Markdown.
PLAIN = '''
from jinja2 import pass_context
from mkdocs.structure.pages import Page


def on_nav(nav, config, files):
    for file in files.documentation_pages():
        if file.page is not None:
            file.page.__class__ = Page
    return nav


def on_env(env, config, files):
    env.globals["showcase_once"] = pass_context(lambda context, name, caller: caller())
    return env
'''


@pytest.mark.slow
def test_the_site_is_byte_identical_to_one_rendered_page_by_page(real_build, tmp_path):
    cached = real_build[0]
    copy_project(tmp_path, ROOT / "data")
    (tmp_path / "plain_hook.py").write_text(PLAIN, encoding="utf-8")
    config = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("\nhooks:\n  - hooks/site.py\n", "\nhooks:\n  - hooks/site.py\n  - plain_hook.py\n")
    assert "plain_hook.py" in config
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", RUNTIME, "build", "--strict", "-f", "mkdocs.yml", "-d", "site"],
                            capture_output=True, text=True, env={**os.environ, **MKDOCS_ENV, **EPOCH}, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    plain = tmp_path / "site"
    pages = sorted(p.relative_to(cached) for p in cached.rglob("*.html"))
    assert pages == sorted(p.relative_to(plain) for p in plain.rglob("*.html"))
    assert len(pages) > 40
    different = [str(p) for p in pages if (cached / p).read_bytes() != (plain / p).read_bytes()]
    assert different == []


def test_a_block_is_rendered_once_per_key_and_never_for_pages_without_one():
    chrome = Chrome(lambda context: context.get("key"))
    once = chrome.once
    calls = []

    def caller():
        calls.append(1)
        return f"<nav>{len(calls)}</nav>"

    class Context(dict):
        pass

    assert getattr(once, "jinja_pass_arg", None) is not None  # Jinja hands it the context
    assert once(Context(key="units/"), "nav", caller) == "<nav>1</nav>"
    assert once(Context(key="units/"), "nav", caller) == "<nav>1</nav>"
    assert once(Context(key="units/"), "footer", caller) == "<nav>2</nav>"
    assert once(Context(key="people/"), "nav", caller) == "<nav>3</nav>"
    assert once(Context(key=None), "nav", caller) == "<nav>4</nav>"
    assert once(Context(key=None), "nav", caller) == "<nav>5</nav>"
    assert (chrome.rendered, chrome.reused) == (3, 1)


def test_pages_share_chrome_by_folder_unless_a_link_leads_into_the_page():
    nav = ["", "units/", "activities/", "about/"]
    assert folder_key("units/pku/", nav) == folder_key("units/thu/", nav) == "units/"
    assert folder_key("activities/c1/", nav) == "activities/"
    assert folder_key("units/pku/", nav) != folder_key("activities/c1/", nav)
    assert folder_key("units/pku/", nav + ["units/pku/"]) is None
    assert folder_key("units/pku/", nav + ["units/pku/#x"]) is None
    assert folder_key("units/pku/", nav + ["units/pku"]) is None
    assert folder_key("", nav) is None
    assert folder_key("units/pku.html", nav) == folder_key("units/thu.html", nav) != folder_key("units/", nav)
