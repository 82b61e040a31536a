/* Site search: Pagefind's index (written into <site>/pagefind/ by hooks/showcase/search.py)
   answering in Material's search box (overrides/partials/search.html).

   - Nothing is fetched before the reader focuses the box; then pagefind.js loads from this site,
     and each query fetches only the index chunks and page excerpts it needs. No other host.
   - Searches as the reader types (debounced), when an input method commits its text
     (compositionend: pinyin is not searched while it is being composed) and on key release.
   - Keyboard: "/", "s" or "f" focuses the box; arrow keys move between the box and the results,
     Enter in the box opens the first result, Tab reaches the results, Esc closes.
   - Ranking: Pagefind's, with two changes. A unit's or person's names (name, full name, aliases:
     the `names` metadata of overrides/showcase/unit.html and person.html) count for ranking as
     much as a title does (RANKING). And among the first PAGE_SIZE results, whose data is loaded
     anyway, a page with a name exactly the query (trimmed, NFKC) comes first: Pagefind scores
     words, so 北京大学 found 北京航空航天大学 (北京 + 大学, a shorter page) before 北京大学 itself.
     No result is added or dropped, no extra request is made.
   - Page data never becomes markup: titles are set as text, and excerpts are rebuilt from
     text and Pagefind's <mark> only. */
(() => {
  "use strict";

  const form = document.forms.namedItem("site-search");
  const toggle = document.getElementById("__search");
  if (!form || !toggle) return;

  // The site root, wherever the site is deployed: this file is <root>/javascripts/search.js.
  const script = document.currentScript;
  const root = script && script.src ? new URL("..", script.src) : window.__md_scope;

  const TEXT = {
    placeholder: "键入以开始搜索",
    loading: "正在初始化搜索引擎",
    none: "没有找到符合条件的结果",
    found: (n) => `找到 ${n} 个符合条件的结果`,
    unavailable: "搜索暂时不可用，请稍后再试",
    more: (n) => `显示更多结果（还有 ${n} 个）`,
  };
  const PAGE_SIZE = 10;       // results rendered at a time
  const SECTIONS = 3;         // matching sections shown under a page
  const DEBOUNCE_MS = 150;
  // A match in the names counts like one in the title (Pagefind's default title weight is 5).
  const RANKING = { metaWeights: { title: 5, names: 5 } };
  const NOT_TYPING = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End",
                              "PageUp", "PageDown", "Enter", "Escape", "Tab", "Shift", "Control",
                              "Alt", "Meta", "CapsLock"]);

  const input = form.elements.namedItem("query");
  const dialog = form.closest(".md-search");
  const meta = dialog.querySelector(".md-search-result__meta");
  const list = dialog.querySelector(".md-search-result__list");
  const scrollwrap = dialog.querySelector(".md-search__scrollwrap");

  // -- Pagefind, loaded once on first use -------------------------------------------------------

  let engine = null;   // promise of a Pagefind instance
  let version = null;  // the index it loaded, as named by pagefind-entry.json (and parts.json)
  let attempt = 0;

  async function fetchJSON(path, optional = false) {
    const response = await fetch(new URL(path, root), { cache: "no-store" });
    if (optional && response.status === 404) return null;
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  // The index deployed now: Pagefind's entry file (170 bytes) names it by hash; a large site's
  // index comes in parts (hooks/showcase/search.py), listed with their hashes in parts.json.
  async function deployed() {
    const [entry, manifest] = await Promise.all([fetchJSON("pagefind/pagefind-entry.json"),
                                                 fetchJSON("pagefind/parts.json", true)]);
    return { version: JSON.stringify([entry.languages, manifest]), parts: manifest ? manifest.parts : [] };
  }

  function load() {
    if (!engine) {
      // A failed import is remembered by the browser: a retry needs a new URL.
      const url = new URL("pagefind/pagefind.js", root);
      if (attempt++) url.search = `?retry=${attempt}`;
      engine = Promise.all([deployed(), import(url.href)]).then(async ([deployedNow, pagefind]) => {
        const options = { baseUrl: root.pathname, ranking: RANKING };
        const instance = pagefind.createInstance(options);
        // the other parts answer the same queries: Pagefind merges their results by score
        await Promise.all(deployedNow.parts.map((part) =>
          instance.mergeIndex(new URL(`pagefind/${part.path}`, root).pathname, options)));
        version = deployedNow.version;
        return instance;
      });
      engine.catch(() => { engine = null; });  // e.g. a preview whose index is still being written
    }
    return engine;
  }

  async function reload() {
    const stale = engine;
    engine = null;
    version = null;
    if (stale) {
      try { (await stale).destroy(); } catch (error) { /* already gone */ }
    }
  }

  // The search opens again: if the index was replaced meanwhile (a new deployment, the preview
  // indexing an edit after the page reloaded), load the new one and search again.
  async function refresh() {
    if (!engine || version === null) return load().catch(() => {});
    try {
      if ((await deployed()).version === version) return;
    } catch (error) {
      return;
    }
    await reload();
    current = null;
    search(input.value);
  }

  // The index was replaced since it was loaded (a new deployment, the preview re-indexing):
  // its old chunks are gone, so load the new one and try once more.
  async function withRetry(work) {
    try {
      return await work(await load());
    } catch (error) {
      await reload();
      return work(await load());
    }
  }

  // -- searching ----------------------------------------------------------------------------------

  let timer = 0;
  let current = null;               // the query shown or being searched
  let ticket = 0;                   // the latest search; older ones drop their answers
  let inflight = Promise.resolve();  // the latest search, until its results are shown
  let results = [];
  let shown = 0;

  function schedule(delay = DEBOUNCE_MS) {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value), delay);
  }

  function search(value) {
    const query = value.trim();
    if (query !== current) {
      current = query;
      inflight = run(query, ++ticket);
    }
    return inflight;
  }

  async function run(query, mine) {
    if (!query) {
      results = [];
      list.replaceChildren();
      updateTabStop();
      meta.textContent = TEXT.placeholder;
      return;
    }
    if (version === null) meta.textContent = TEXT.loading;  // the index is still loading
    try {
      const [found, data] = await withRetry(async (pagefind) => {
        const found = await pagefind.search(query);
        return [found, await Promise.all(found.results.slice(0, PAGE_SIZE).map((r) => r.data()))];
      });
      if (mine !== ticket) return;
      // The loaded results named exactly as the query first, each group in Pagefind's order.
      const loaded = data.map((d, i) => ({ result: found.results[i], data: d, named: isNamed(d, query) }));
      const ordered = [...loaded.filter((r) => r.named), ...loaded.filter((r) => !r.named)];
      results = [...ordered.map((r) => r.result), ...found.results.slice(PAGE_SIZE)];
      shown = 0;
      list.replaceChildren();
      meta.textContent = results.length ? TEXT.found(results.length) : TEXT.none;
      show(ordered.map((r) => r.data));
    } catch (error) {
      if (mine !== ticket) return;
      current = null;  // the same query may be tried again
      list.replaceChildren();
      updateTabStop();
      meta.textContent = TEXT.unavailable;
    }
  }

  // The page's title or one of its names (`names` metadata, "|" between them) is the query.
  function isNamed(data, query) {
    const wanted = query.normalize("NFKC");
    const names = [(data.meta && data.meta.title) || "", ...((data.meta && data.meta.names) || "").split("|")];
    return names.some((name) => name.trim().normalize("NFKC") === wanted);
  }

  // Render the data of the next results; a "more" button while some are left.
  function show(data) {
    shown += data.length;
    const items = data.map(renderItem).filter(Boolean);
    list.querySelector(".sc-search-more")?.remove();
    list.append(...items);
    if (shown < results.length) list.append(renderMore(results.length - shown));
    updateTabStop();
    return items[0] || null;
  }

  // The result area is a tab stop while it has no links (a scrollable region must be reachable
  // by keyboard); with results, Tab goes from the box straight to the first one.
  function updateTabStop() {
    scrollwrap.tabIndex = list.querySelector("a[href]") ? -1 : 0;
  }

  async function showMore() {
    const mine = ticket;
    const data = await Promise.all(results.slice(shown, shown + PAGE_SIZE).map((r) => r.data()));
    return mine === ticket ? show(data) : null;
  }

  async function firstResult() {
    clearTimeout(timer);
    await search(input.value);
    return list.querySelector("a[href]");
  }

  // -- rendering, in Material's result markup ---------------------------------------------------

  function element(tag, className) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  // Only links into this site: Pagefind's URLs are paths of indexed files.
  function siteUrl(url) {
    const target = new URL(url, root);
    return target.origin === root.origin ? target.href : null;
  }

  // Pagefind's excerpt is page text, escaped, with <mark> around the words found. It is parsed
  // in an inert <template> and rebuilt: text stays text, <mark> stays <mark>, any other element
  // is reduced to its text.
  function excerpt(html) {
    const template = document.createElement("template");
    template.innerHTML = html || "";
    return Array.from(template.content.childNodes, (node) => {
      if (node.nodeName === "MARK") {
        const mark = element("mark");
        mark.textContent = node.textContent;
        return mark;
      }
      return document.createTextNode(node.textContent);
    });
  }

  function renderLink(url, title, text, isPage) {
    const href = siteUrl(url);
    if (!href) return null;
    const link = element("a", "md-search-result__link");
    link.href = href;
    const article = element("article", "md-search-result__article md-typeset" +
                            (isPage ? " md-search-result__article--document" : ""));
    if (isPage) article.append(element("div", "md-search-result__icon md-icon"));
    const heading = element(isPage ? "h1" : "h2");
    heading.textContent = title;
    const paragraph = element("p");
    paragraph.append(...excerpt(text));
    article.append(heading, paragraph);
    link.append(article);
    return link;
  }

  function renderItem(data) {
    const page = renderLink(data.url, (data.meta && data.meta.title) || data.url, data.excerpt, true);
    if (!page) return null;
    const item = element("li", "md-search-result__item");
    item.append(page);
    const sections = (data.sub_results || []).filter((section) => section.url !== data.url);
    for (const section of sections.slice(0, SECTIONS)) {
      const link = renderLink(section.url, section.title, section.excerpt, false);
      if (link) item.append(link);
    }
    return item;
  }

  function renderMore(remaining) {
    const item = element("li", "md-search-result__item sc-search-more");
    const button = element("button", "sc-search-more__button");
    button.type = "button";
    button.textContent = TEXT.more(remaining);
    button.addEventListener("click", async () => {
      const first = await showMore();
      if (first) first.querySelector("a").focus();
    });
    item.append(button);
    return item;
  }

  // -- opening and closing: Material's #__search toggle drives the styles -----------------------

  function setOpen(open) {
    if (toggle.checked !== open) toggle.click();  // a click fires "change", which Material watches
  }

  toggle.addEventListener("change", () => {
    list.hidden = !toggle.checked;  // closed results are no tab stops
    if (toggle.checked) {
      refresh();
      if (document.activeElement !== input) input.focus();
    } else if (dialog.contains(document.activeElement)) {
      document.activeElement.blur();
    }
  });

  input.addEventListener("focus", () => setOpen(true));

  // Focus moved on past the results (Tab) or back before the box (Shift+Tab): close.
  dialog.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !dialog.contains(event.relatedTarget)) setOpen(false);
  });

  list.addEventListener("click", (event) => {
    if (event.target.closest("a")) setOpen(false);  // also for a section of the page shown
  });

  // -- typing -------------------------------------------------------------------------------------

  input.addEventListener("input", (event) => {
    if (!event.isComposing) schedule();
  });
  input.addEventListener("compositionend", () => schedule(0));
  input.addEventListener("keyup", (event) => {
    if (!event.isComposing && !NOT_TYPING.has(event.key)) schedule();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => {
    setTimeout(() => { search(""); input.focus(); });  // after the form has emptied the box
  });

  // -- keyboard -----------------------------------------------------------------------------------

  function isEditable(node) {
    return !!node && (node.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(node.tagName));
  }

  function moveFocus(step) {
    const stops = [input, ...list.querySelectorAll("a[href], button")];
    const at = stops.indexOf(document.activeElement);
    const next = at < 0 ? 0 : (at + step + stops.length) % stops.length;
    stops[next].focus();
  }

  document.addEventListener("keydown", async (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey || event.isComposing || event.keyCode === 229) {
      return;  // shortcuts of the browser, and keys an input method is using
    }
    if (!toggle.checked) {
      if (["/", "s", "f"].includes(event.key) && !isEditable(document.activeElement)) {
        event.preventDefault();
        setOpen(true);
        input.focus();
        input.select();
      }
      return;
    }
    switch (event.key) {
      case "Escape":
        event.preventDefault();
        setOpen(false);
        input.blur();
        break;
      case "ArrowDown":
      case "ArrowUp":
        event.preventDefault();
        moveFocus(event.key === "ArrowDown" ? 1 : -1);
        break;
      case "Enter":
        if (document.activeElement === input) {
          event.preventDefault();
          const first = await firstResult();
          if (first) first.click();
        }
        break;  // on a result: the link's own Enter
      default:
        // Typing while a result has focus goes on in the box.
        if (event.key.length === 1 && dialog.contains(document.activeElement) &&
            document.activeElement !== input) {
          input.focus();
        }
    }
  });
})();
