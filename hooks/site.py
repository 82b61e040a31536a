"""MkDocs hooks: glue only. Loading, checking and page generation live in `showcase/`,
which never imports MkDocs, so tests run it without a build."""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html import escape, unescape

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc
from mkdocs.utils import CountHandler
from watchdog.observers.polling import PollingObserver

from showcase import dates
from showcase.assets import MINIFIED, minified_css
from showcase.chrome import Chrome, folder_key
from showcase.dataset import load_dataset, media_cache_dir
from showcase.graph import Graph, build_graph
from showcase.incremental import plan_reuse
from showcase.media import MediaCache, ProcessingFailed
from showcase.opendata import open_data_makers
from showcase.pages import (
    AUDIENCES,
    PAGE_KINDS,
    Build,
    Page,
    PageSpec,
    Renderer,
    error_page,
    plan_pages,
    reusable,
)
from showcase.photos import DENSE_SCREEN
from showcase.preview import AfterServe, replace_body, settle_memory, write_file
from showcase.problems import Problem
from showcase.search import BackgroundIndexer, SearchIndexError, index_site
from showcase.sitedir import (
    PrivateBuild,
    PublishRefused,
    data_date,
    refuse_unsafe_published_files,
    remove_stale_outputs,
)
from showcase.structured import atom_feed, json_feed, script_json, structured_data
from showcase.templating import CompiledTemplates, ThemeLoader, folder_stamp


@dataclass
class HookState:
    """What the hooks keep between the events of a build and, because `mkdocs serve` keeps this
    module loaded across rebuilds (hooks are not reloaded), between builds: the last good build
    survives an invalid edit, and the next build reuses what the edit left valid."""

    command: str | None = None
    specs: dict[str, PageSpec] = field(default_factory=dict)  # path → this build's generated page
    # path → page with its body: under `serve` every page, rendered or reused ahead (the next edit
    # is compared with them); under `build` none: each body is rendered when MkDocs asks for it
    pages: dict[str, Page] = field(default_factory=dict)
    renderer: Renderer | None = None        # `build`: renders the bodies (lazily, see on_page_content)
    build: Build | None = None
    changed: set[str] = field(default_factory=set)  # paths whose page differs from the previous build's
    last_good: tuple[Graph, dict[str, Page]] | None = None  # serve: the last build with valid data
    planned: dict[str, PageSpec] = field(default_factory=dict)  # serve: that build's specs
    rebuild_all: bool = True   # the error banner came or went: every page must be rendered again
    failing: bool = False      # the last build had invalid data
    static: dict[str, bytes] = field(default_factory=dict)  # site path → the open-data files and feeds (UTF-8)
    # serve: the open-data files and feeds are made after the pages are served (on_post_build)
    after: AfterServe | None = None
    pending: Callable[[], dict[str, Callable[[], str]]] | None = None  # this build's files to make after
    sizes: dict[str, int] = field(default_factory=dict)  # serve: the sizes of the files last made
    graph: Graph | None = None
    indexer: BackgroundIndexer | None = None  # the preview's background search indexer (serve only)
    building: PrivateBuild | None = None      # `mkdocs build`: the folder it writes into (showcase/sitedir.py)
    outputs: set[str] = field(default_factory=set)  # serve: the site paths the previous build wrote for its files
    media: dict[str, str] = field(default_factory=dict)  # site path of each photo variant → its file in the media cache
    nav_pages: set[int] = field(default_factory=set)      # id() of this build's pages that are in the nav
    nav_urls: list[str] = field(default_factory=list)     # the URLs the nav links to
    chrome: Chrome | None = None                          # this build's cached chrome (on_env)
    anchor_targets: set[str] = field(default_factory=set)  # generated pages a hand-written page links into (#anchor)
    compiled: CompiledTemplates = field(default_factory=CompiledTemplates)  # serve: the theme's templates, compiled
    theme_stamp: tuple | None = None  # serve: overrides/ as the last build saw it (an edit there changes every page)
    files: dict[str, File] = field(default_factory=dict)  # serve: the record pages' files of the last build, with their pages

    def page(self, path: str) -> Page | None:
        """The generated page at `path` with its body: kept (serve), else rendered now."""
        if path in self.pages:
            return self.pages[path]
        spec = self.specs.get(path)
        return self.renderer.page(spec, self.build) if spec is not None and self.renderer else None


_state = HookState()


class _GeneratedFile(File):
    """A generated page that tells `mkdocs serve --dirty` the truth: modified only when its
    content differs from the previous build's (MkDocs assumes every generated file changed)."""

    def is_modified(self) -> bool:
        return _state.rebuild_all or self.src_uri in _state.changed


class _GeneratedPage(MkDocsPage):
    """A generated page: its Markdown is an empty stub (the body comes in on_page_context), so
    rendering it is setting what Python-Markdown would have made of nothing, without
    constructing a Markdown instance with every extension for each of 20,000 pages."""

    def render(self, config, files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if self.markdown.strip():  # not a stub after all (a hook changed it): Markdown it is
            return super().render(config, files)
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def on_startup(command, dirty):
    _state.command = command
    if command == "serve" and _state.indexer is None:
        _state.indexer = BackgroundIndexer()
        _state.after = AfterServe()


# MkDocs polls the watched folders every 0.5 s: on average a quarter of a second between a save
# and the rebuild, a quarter of what a preview may take. A poll of docs/, data/ and overrides/
# costs about 0.3 ms on the real data (a few ms with hundreds of photos).
WATCH_INTERVAL = 0.2


def on_serve(server, config, builder):
    """The preview's folders polled every WATCH_INTERVAL instead of every 0.5 s."""
    watched = getattr(server, "_watched_paths", None)  # MkDocs 1.6's own record of what it watches
    if not isinstance(watched, dict):
        return server  # another server: left as it is
    paths = [path for path, count in watched.items() for _ in range(count)]
    for path in paths:
        server.unwatch(path)
    server.observer = PollingObserver(timeout=WATCH_INTERVAL)
    for path in paths:
        server.watch(path)
    return server


def on_shutdown():
    if _state.after is not None:
        _state.after.cancel()
    if _state.indexer is not None:
        _state.indexer.cancel()
    _discard_private_site()  # interrupted (Ctrl-C): the site folder stays as it was


def on_config(config):
    """Loading, then the pages (planned, and under `serve` rendered where the edit changed them),
    then what changed since the previous build: each in its own function below."""
    if _state.after is not None:
        # a rebuild: the files being made and the pages being indexed are about to change
        _state.after.cancel(then=_state.indexer.cancel)
    audience = _configure_audience(config)
    # `-f mkdocs-editorial.yml` gives a relative path (an empty folder name): the data date's
    # `git log` then ran nowhere and the page fell back to the sources' year
    root = os.path.dirname(os.path.abspath(config.config_file_path))
    try:
        refuse_unsafe_published_files(root, [config.docs_dir, config.theme.custom_dir])
    except PublishRefused as error:
        raise PluginError(str(error)) from error
    theme_edited = False
    if _state.command == "serve":
        _keep_theme_between_rebuilds(config, root)
        if _state.last_good:
            # A rebuild leaves the preview's sitemap as its first build wrote it: nobody crawls a
            # preview, and its 20,000 URLs rendered again were a fifteenth of a summary edit.
            config.theme.static_templates.discard("sitemap.xml")
        stamp = folder_stamp(config.theme.custom_dir)
        theme_edited, _state.theme_stamp = _state.theme_stamp is not None and stamp != _state.theme_stamp, stamp
    dataset, processed, report = _load(root)
    errors = report.format().splitlines() if report else []
    was_failing, _state.failing = _state.failing, bool(errors)  # config is new in every rebuild
    config.extra["showcase_errors"] = errors
    previous = _state.pages
    if report:
        if _state.command != "serve":
            raise PluginError("数据文件有问题，网站未构建：\n" + report.format())
        # Preview: keep serving, show the problems on every page, recover on the next save.
        print("\n数据文件有问题，预览显示的是上一次正确的数据：\n" + report.format() + "\n", file=sys.stderr)
        _state.pages = _state.last_good[1] if _state.last_good else {p.path: p for p in [error_page()]}
        _state.specs = dict(_state.pages)
    else:
        _plan_and_render(config, root, audience, dataset, processed, theme_edited)
    _detect_changes(config, previous, bool(errors) or was_failing or theme_edited)
    if _state.command != "serve":
        _discard_private_site()
        _state.building = PrivateBuild(config.site_dir)
        config.site_dir = _state.building.folder
    return config


def _configure_audience(config) -> str:
    audience = audience_of(config)
    if audience not in AUDIENCES:
        raise PluginError(f"mkdocs.yml 的 extra.audience 应为 public 或 editorial，实际是 “{audience}”")
    if audience == "public":
        # Readers are not editors: no repository link in the header, no edit buttons, and a
        # record's line in the data changes no public page. Editors reach the guide from the footer.
        config.repo_url = None
    if not config.repo_url:
        config.edit_uri = None  # a local build has no repository host: no edit links, no warning
    return audience


def _keep_theme_between_rebuilds(config, root: str) -> None:
    """The preview's next environment reuses this one's compiled templates and the installed
    theme's file listing (showcase/templating.py): a save of a data file changes neither."""
    theme, make_env = config.theme, config.theme.get_env

    def get_env():
        env = make_env()
        env.loader = ThemeLoader(list(theme.dirs), changing=root)
        env.bytecode_cache = _state.compiled
        return env
    theme.get_env = get_env


def _load(root: str):
    """Both data files read, validated and checked, and their photos processed: (dataset,
    processed photos, report). Warnings alone are said, and the site builds."""
    dataset, report = load_dataset(os.path.join(root, "data"), display_dir="data",
                                   remember=_state.command == "serve")
    processed = None
    if not report:
        try:
            processed, _state.media = _process_photos(root, dataset)
        except ProcessingFailed as error:  # changed since the check, or the cache cannot be written
            report.extend([Problem(f"data/{path}", 1, 1, "", f"照片无法处理：{reason}") for path, reason in error.failures])
    if report.warnings and not report:
        print("\n" + report.format() + "\n", file=sys.stderr)
    return dataset, processed, report


def _plan_and_render(config, root: str, audience: str, dataset, processed, theme_edited: bool = False) -> None:
    """The graph, open data and feeds, and every generated page planned. Under `serve` the pages
    are rendered now (those the edit cannot have changed are reused, unless a template was
    edited), so that the next edit can be compared with them; under `build` each is rendered when
    MkDocs asks for it."""
    graph = build_graph(dataset, processed)
    makers = {**open_data_makers(dataset, graph),
              "feed.xml": lambda: atom_feed(graph, config.site_url, config.site_name),
              "feed.json": lambda: json_feed(graph, config.site_url, config.site_name)}
    if _state.command == "serve" and _state.sizes:
        # The preview makes them after the edited page is served (on_post_build); the open-data
        # page shows the last sizes until then, and is corrected in place (_after_serve).
        _state.static, _state.pending, downloads = {}, makers, dict(_state.sizes)
    else:  # `mkdocs build`, and the preview's first build: complete before anything is written
        # each encoded once and kept once (19 MB at 20,000 units; their text is not kept besides)
        _state.static = {path: make().encode("utf-8") for path, make in makers.items()}
        _state.pending, downloads = None, {path: len(data) for path, data in _state.static.items()}
        _state.sizes = dict(downloads)
    updated = data_date(root, [dates.year_of(s.date) for s in dataset.units.sources if s.date])
    _state.build = Build(audience=audience, downloads=downloads, updated=updated,
                         edit_url=lambda file, line: _record_url(config, (file, line)))
    env = _state.renderer.env if _state.renderer and _state.command == "serve" else None
    _state.renderer = Renderer(graph, os.path.join(root, "overrides", "showcase"), editorial=audience == "editorial",
                               env=env)
    reuse = None
    if _state.command == "serve" and _state.last_good and not theme_edited:
        old_graph, old_pages = _state.last_good
        # A photo replaced under the same name changes no record, but every page showing it.
        reuse = plan_reuse(old_graph, graph, old_pages) if old_graph.processed == processed else None
    specs = plan_pages(graph, _state.build, kept=_state.planned if reuse else None)
    _state.specs = {spec.path: spec for spec in specs}
    _state.graph = graph
    if _state.command != "serve":
        _state.pages = {}
        return
    _state.pages = {spec.path: reusable(spec, reuse, _state.build) or _state.renderer.page(spec, _state.build) for spec in specs}
    _state.last_good, _state.planned = (graph, _state.pages), _state.specs


def _detect_changes(config, previous: dict[str, Page], everything: bool) -> None:
    """Which generated pages `mkdocs serve --dirty` must write again (see _GeneratedFile)."""
    # A record's line only shows in its edit link: without a repository (a local preview) an
    # edit that shifts the lines below it changes no page.
    shown = (lambda page: page) if config.repo_url else (lambda page: page and replace(page, record=None))
    _state.changed = {path for path, page in _state.pages.items()
                      if previous.get(path) is not page and shown(previous.get(path)) != shown(page)}
    _state.rebuild_all = not previous or everything


def on_files(files, config):
    written = set(files.src_uris)
    kept, _state.files = _state.files, {}
    for page in _state.specs.values():
        if page.path in written:
            raise PluginError(f"docs/{page.path} 与自动生成的页面重名：请删除或改名该文件")
        # An index page is left to mkdocs.yml (`nav:`, `not_in_nav:`); a record page never is.
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        file = _kept_file(kept.get(page.path), config, inclusion)
        if file is None:
            # The body is swapped in by on_page_content: the stub keeps data out of Markdown.
            file = _GeneratedFile.generated(config, page.path, content="", inclusion=inclusion)
        files.append(file)
        if _state.command == "serve" and not page.in_nav:
            _state.files[page.path] = file
    for path in MINIFIED:
        if (file := files.get_file_from_path(path)) is not None:
            file.content_string = minified_css(file.content_string)
    for path, data in _state.static.items():  # open data and feeds: copied as they are
        files.append(File.generated(config, path, content=data))
    if _state.command != "serve":
        _state.static = {}  # the files hold them now (a preview reuses them when the next edit is invalid)
    for path, cached in _state.media.items():  # photo variants: copied from the media cache
        files.append(File.generated(config, path, abs_src_path=cached))
    if _state.rebuild_all:  # hand-written pages carry the banner too (generated ones know it: is_modified)
        for file in files.documentation_pages():
            if not isinstance(file, _GeneratedFile):
                file.is_modified = lambda: True
    if _state.command == "serve":
        outputs = {file.dest_uri for file in files} | _state.sizes.keys()  # the files made after, too
        remove_stale_outputs(config.site_dir, _state.outputs - outputs)
        _state.outputs = outputs
    return files


def _kept_file(file: File | None, config, inclusion) -> File | None:
    """The preview's last file of an unchanged page that is not in the nav (a record's, a later
    page of a list), with the page MkDocs made for it: MkDocs then neither makes a page for it
    again (get_navigation makes one only for a file without) nor reads or writes it (--dirty,
    _GeneratedFile.is_modified). At 20,000 pages, making them again was a fifth of a summary
    edit. A changed page gets a new file and page, as MkDocs expects."""
    if (file is None or file.page is None or _state.rebuild_all or file.src_uri in _state.changed
            or file.inclusion != inclusion or file.dest_dir != config.site_dir
            or file.use_directory_urls != config.use_directory_urls):
        return None
    return file


def on_nav(nav, config, files):
    by_path = files.src_uris
    for path in _state.specs:  # MkDocs made every page by now (get_navigation)
        if (file := by_path.get(path)) is not None and type(file.page) is MkDocsPage:
            file.page.__class__ = _GeneratedPage
    _state.nav_pages = {id(page) for page in nav.pages}
    _state.nav_urls = [item.url for item in _walk(nav.items) if getattr(item, "url", None) is not None]
    return nav


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children or [])


def on_env(env, config, files):
    """Material's own partials reachable as `material/partials/…` (the ones in overrides/partials
    wrap them), and the chrome they share rendered once per build (showcase/chrome.py)."""
    material = next(folder for folder in config.theme.dirs
                    if folder != config.theme.custom_dir and os.path.isfile(os.path.join(folder, "partials", "nav.html")))
    env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(material)})])
    _state.chrome = Chrome(_chrome_key)
    # every page is read by now: which generated pages other pages link into, for MkDocs'
    # anchor validation (on_page_context collects the ids of those only)
    _state.anchor_targets = {target.src_uri for file in files.documentation_pages() if file.page is not None
                             for target in (file.page.links_to_anchors or {}) if target.src_uri in _state.specs}
    env.globals["showcase_once"] = _state.chrome.once
    return env


def _chrome_key(context):
    """Record pages share the chrome, by folder: they are not in the nav, so they show it in one
    state (nothing active, no previous or next page), and nothing in the chrome links to one of
    them (its links would then differ on that page). Every other page renders its own."""
    page = context.get("page")
    if page is None or id(page) in _state.nav_pages or page.previous_page or page.next_page:
        return None
    spec = _state.specs.get(page.file.src_uri)
    if spec is None or not spec.kind or PAGE_KINDS[spec.kind].record is None:
        return None
    return folder_key(page.url, _state.nav_urls)


def on_page_markdown(markdown, page, config, files):
    """Titles, which the nav and other pages print: escaped here, before any page is built."""
    generated = _state.specs.get(page.file.src_uri)
    if generated is None:
        # A hand-written page's front matter (docs/ comes by pull request too) reaches Material's
        # <title>, og: and description attributes as it is: escaped here like the generated ones.
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = escape(page.meta[key], quote=True)
        # `showcase_*` keys are the hooks' own, and main.html prints some as they are (the JSON-LD):
        # front matter may not set them.
        for key in [key for key in page.meta if str(key).startswith("showcase_")]:
            del page.meta[key]
    else:
        # Material prints page titles as HTML (and `striptags` un-escapes): give it escaped text.
        page.meta["title"] = escape(generated.title)
    return markdown


def on_page_context(context, page, config, nav):
    """A generated page's body and what only its own template prints, given just before the
    template renders it and dropped once it is written (on_post_page): MkDocs reads every page
    before it builds the first, and would otherwise hold all 20,000 bodies in between."""
    generated = _state.specs.get(page.file.src_uri)
    share = _share_image(config, page, generated.image if generated else None)
    if generated is not None:
        body = _state.page(page.file.src_uri)
        page.content = body.html
        page.toc = get_toc(_toc_tokens(body))
        if page.file.src_uri in _state.anchor_targets:  # a hand-written page links to an anchor here
            page.present_anchor_ids = {unescape(anchor) for anchor in _ID.findall(body.html)}
        page.meta["description"] = escape(generated.description, quote=True)
        page.edit_url = _record_url(config, generated.record)
        structured = structured_data(_state.graph, page.file.src_uri, config.site_url, image=share["url"])
        if structured is not None:
            page.meta["showcase_jsonld"] = script_json(structured)
        if generated.hide:
            page.meta["hide"] = list(generated.hide)
        if not generated.searchable:
            page.meta["search"] = {"exclude": True}  # read by overrides/main.html
        if generated.record and config.repo_url:
            page.meta["showcase_record"] = f"{generated.record[0]} 第 {generated.record[1]} 行"
    page.meta["showcase_image"] = share
    if generated and generated.lead:
        # The preload scanner would find the cover only in the body, after the style sheets.
        up = "../" * page.url.count("/")
        page.meta["showcase_preload"] = {"srcset": ", ".join(f"{up}{path} {width}w" for path, width in generated.lead.webp),
                                         "sizes": generated.lead.sizes, "dense_sizes": generated.lead.dense_sizes,
                                         "dense_screen": DENSE_SCREEN}
    return context


_ID = re.compile(r"""\sid=["']([^"']+)["']""")


def on_post_page(output, page, config):
    if page.file.src_uri in _state.specs:  # written: its body is no longer needed (see on_page_context)
        page.content = None
        page.toc = get_toc([])
        for key in ("description", "showcase_jsonld", "showcase_image", "showcase_preload", "showcase_record"):
            page.meta.pop(key, None)
    return output


def on_post_build(config):
    if _state.after is not None:
        # Preview: the rebuilt pages are served now; open data, feeds and search catch up in a
        # few seconds (showcase/preview.py, search.py). Waiting here would delay every page update.
        _state.after.start(_after_serve(config.site_dir))
        return
    try:
        index_site(config.site_dir)  # `mkdocs build`: the site is complete with its index
    except SearchIndexError as error:
        raise PluginError(str(error)) from error
    if config.strict and _strict_warnings():
        return  # MkDocs aborts right after this hook: the site folder stays as it was
    if _state.building is not None:
        build, _state.building = _state.building, None
        try:
            build.move_into_place()
        except PublishRefused as error:
            raise PluginError(str(error)) from error
        config.site_dir = build.site_dir  # for what runs after the build (gh-deploy reads it)


def _after_serve(site_dir: str) -> list:
    """The preview's steps after a build is served: each open-data file and feed made and
    written, the open-data page's sizes corrected in place, then the search index started."""
    makers, _state.pending = _state.pending, None
    made: dict[str, int] = {}

    def write(path):
        def commit(text):
            data = text.encode("utf-8")
            write_file(site_dir, path, data)
            made[path] = len(data)
        return commit
    steps = [(make, write(path)) for path, make in (makers or {}).items()]
    path = "data/index.md"
    page, spec, build, renderer = _state.pages.get(path), _state.specs.get(path), _state.build, _state.renderer
    if makers and page is not None and spec is not None:
        def correct(fresh):
            _state.sizes = made
            if replace_body(site_dir, spec.url, page.html, fresh.html):
                _state.pages[path] = fresh  # what the site now shows: the next edit compares with it
        steps.append((lambda: renderer.page(spec, replace(build, downloads=made)), correct))
    return [*steps, (lambda: None, lambda _: _state.indexer.start(site_dir)), (settle_memory, lambda _: None)]


def on_build_error(error):
    _discard_private_site()


def _discard_private_site() -> None:
    if _state.building is not None:
        _state.building.discard()
        _state.building = None


def _strict_warnings() -> bool:
    """Whether the runtime counted warnings in this build (with --strict it aborts after
    post_build). MkDocs counts them on the `mkdocs` logger; ProperDocs on `properdocs`, which it
    makes the parent of `mkdocs`: the handlers are looked for up the chain a record travels."""
    logger: logging.Logger | None = logging.getLogger("mkdocs")
    while logger is not None:
        if any(isinstance(handler, CountHandler) and handler.get_counts() for handler in logger.handlers):
            return True
        logger = logger.parent if logger.propagate else None
    return False


# The card a link preview shows for a page with no photo of its own, unless the data names one
# (committee.share_image): drawn by tools/make_share_image.py.
DEFAULT_SHARE_IMAGE = ("assets/share.png", 1200, 630, "文明风采 · 海淀区文明委")


def _share_image(config, page, own) -> dict:
    """og:image of a page: its own photo's largest JPEG, else the site's share image. Absolute
    when the site has an address (link previews need one); overrides/main.html escapes it."""
    graph = _state.graph
    view = own or (graph.photo(graph.dataset.units.committee.share_image, "share") if graph else None)
    path, width, height, alt = ((view.full, view.full_width, view.full_height, view.alt) if view
                                else DEFAULT_SHARE_IMAGE)
    if config.site_url:
        url = config.site_url.rstrip("/") + "/" + path
    else:  # a local preview: relative to the page, which link previews never see anyway
        url = "../" * page.url.count("/") + path
    return {"url": url, "width": width, "height": height, "alt": alt}


def _process_photos(root: str, dataset) -> tuple[dict, dict[str, str]]:
    """Every photo named, processed (or found in the cache folder, outside site/): file →
    media.Processed, and the site path of every variant → its cached file."""
    cache = MediaCache(media_cache_dir(os.path.join(root, "data")))
    by_digest = cache.process_all([(file, info.digest) for file, info in sorted(dataset.images.items())],
                                  os.path.join(root, "data"))
    processed = {file: by_digest[info.digest] for file, info in dataset.images.items()}
    outputs = {variant.path: cache.file_for(variant.path)
               for done in processed.values() for variant in (*done.webp, *done.jpeg)}
    return processed, outputs


def _record_url(config, record: tuple[str, int] | None) -> str | None:
    """The record's line in its data file on the repository host ("编辑此条目")."""
    if not record or not config.repo_url:
        return None
    branch = re.match(r"(?:edit|blob)/([^/]+)/", config.edit_uri or "")
    return f"{config.repo_url.rstrip('/')}/blob/{branch.group(1) if branch else 'main'}/{record[0]}#L{record[1]}"


def audience_of(config) -> str:
    return config.extra.get("audience", "public")


def _toc_tokens(page: Page) -> list[dict]:
    tokens: list[dict] = []
    for level, anchor, name in page.toc:
        token = {"level": level, "id": anchor, "name": name, "children": []}
        if level == 3 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens
