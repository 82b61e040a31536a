"""What the preview keeps of the theme between rebuilds (hooks/showcase/templating.py): compiled
templates, which an edited template replaces, and the installed theme's listing, which must be
what MkDocs would have found."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader

from showcase.templating import CompiledTemplates, ThemeLoader
from sitekit import ROOT, copy_project


def _compiles(env: Environment) -> list[str]:
    """The names the environment compiles from source (not loaded as compiled code)."""
    compiled, compile = [], env.compile

    def counting(source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile(source, name, filename, raw, defer_init)
    env.compile = counting
    return compiled


def test_a_new_environment_reuses_compiled_templates_and_recompiles_an_edited_one(tmp_path):
    (tmp_path / "page.html").write_text("{% include 'part.html' %}!", encoding="utf-8")
    (tmp_path / "part.html").write_text("{{ name }}", encoding="utf-8")
    cache = CompiledTemplates()

    def rebuild():  # what each rebuild of the preview does: a new environment, the same cache
        env = Environment(loader=FileSystemLoader(tmp_path), autoescape=True, bytecode_cache=cache)
        return env, _compiles(env)

    env, compiled = rebuild()
    assert env.get_template("page.html").render(name="<b>") == "&lt;b&gt;!"
    assert sorted(compiled) == ["page.html", "part.html"]

    env, compiled = rebuild()
    assert env.get_template("page.html").render(name="甲") == "甲!"
    assert compiled == []  # both came from the cache

    (tmp_path / "part.html").write_text("[{{ name }}]", encoding="utf-8")
    env, compiled = rebuild()
    assert env.get_template("page.html").render(name="乙") == "[乙]!"
    assert compiled == ["part.html"]


def _theme_files(config, loader) -> list[str]:
    """The theme files MkDocs adds to a build when the environment lists with `loader`."""
    from mkdocs.structure.files import Files

    env = config.theme.get_env()
    env.loader = loader
    files = Files([])
    files.add_files_from_theme(env, config)
    return sorted(file.src_uri for file in files)


def test_the_theme_listing_is_what_mkdocs_finds_and_follows_the_project(tmp_path):
    from mkdocs.config import load_config

    project = copy_project(tmp_path / "project", ROOT / "data")
    config = load_config(str(project / "mkdocs.yml"))
    dirs = list(config.theme.dirs)
    assert str(project / "overrides") in dirs and len(dirs) > 1

    listed = _theme_files(config, ThemeLoader(dirs, changing=str(project)))
    assert listed == _theme_files(config, FileSystemLoader(dirs))
    assert any(name.startswith("assets/stylesheets/main.") for name in listed)  # Material's own files

    # a file added to the project's overrides is listed at the next rebuild; the theme's are remembered
    (project / "overrides" / "assets").mkdir(exist_ok=True)
    (project / "overrides" / "assets" / "added.js").write_text("", encoding="utf-8")
    listed = _theme_files(config, ThemeLoader(dirs, changing=str(project)))
    assert "assets/added.js" in listed
    assert listed == _theme_files(config, FileSystemLoader(dirs))
