"""Charts and tables as a reader on a phone sees them (issue 13, items 8 and 9): the stats page's
charts are HTML bars that fill their column with real-text labels of at least 12 px, a single row
is a sentence and no table repeats a chart; no table cell breaks a word or a name, and no page
scrolls sideways at 360 px (a wide table scrolls inside its own wrapper)."""

from __future__ import annotations

import re

import pytest

from showcase.charts import MAX_ROWS, Chart, Row, _largest

# -- the chart data (no browser) ------------------------------------------------------------


def test_a_chart_of_one_row_is_a_sentence_not_a_chart():
    one = Chart("c", "荣誉记录：按年度", ("荣誉记录",), (Row("2020年", (10,)),), unit="条")
    assert not one.is_chart
    assert one.sentence(one.rows[0]) == "荣誉记录 10 条"
    two = Chart("c", "t", ("来源所述", "已列出"), (Row("高校", (15, 7)), Row("其他", (None, 5))), unit="家")
    assert two.is_chart
    assert two.sentence(two.rows[1]) == "来源所述 不详，已列出 5 家"
    assert (two.share(15), two.share(5)) == ("1.0000", "0.3333")


def test_a_long_chart_keeps_its_largest_rows():
    rows = [Row(f"单位{i}", (i % 7,)) for i in range(5000)]
    kept, total = _largest(rows)
    assert total == 5000 and len(kept) == MAX_ROWS
    assert min(r.values[0] for r in kept) == 6
    assert _largest(rows[:MAX_ROWS]) == (tuple(rows[:MAX_ROWS]), 0)


def test_the_stats_page_has_no_table_and_no_chart_of_one_bar(real_build):
    html = (real_build[0] / "stats" / "index.html").read_text(encoding="utf-8")
    article = html[html.index('<article'):html.index('</article>')]
    assert "<table" not in article and "<svg" not in article.split("数据统计", 1)[1]
    for figure in re.findall(r'<figure class="sc-chart".*?</figure>', article, re.S):
        assert figure.count('class="sc-bars__row"') >= 2
    assert re.search(r'2020年</a>：荣誉记录 \d+ 条。', article)  # the one-year chart, as a sentence


# -- in the browser -------------------------------------------------------------------------

PAGES = ["stats/", "units/pku-third-hospital/", "honours/", "data/", "report/2020/"]


@pytest.fixture(scope="module")
def site(real_build):
    from test_browser import _serve

    server, base = _serve(real_build[0])
    yield base
    server.shutdown()


def _open(browser, site, path, width, scheme="light"):
    context = browser.new_context(viewport={"width": width, "height": 780 if width < 700 else 900},
                                  color_scheme=scheme, locale="zh-CN")
    page = context.new_page()
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    return context, page


CHARTS_JS = """() => [...document.querySelectorAll('figure.sc-chart')].map(f => {
  const column = f.parentElement, cs = getComputedStyle(column);
  const inner = column.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  const bars = [...f.querySelectorAll('.sc-bars__bar')].map(b => b.getBoundingClientRect().width);
  const texts = [...f.querySelectorAll('.sc-bars__label, .sc-bars__value, .sc-chart-legend')];
  return {id: f.getAttribute('aria-labelledby'), width: f.getBoundingClientRect().width, column: inner,
          bars: bars.length, longest: Math.max(...bars),
          smallest_font: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize))),
          cut: texts.filter(t => t.scrollWidth > t.clientWidth + 1).map(t => t.textContent)};
})"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1366])
def test_charts_fill_their_column_with_labels_of_12px_or_more(browser, site, width):
    context, page = _open(browser, site, "stats/", width)
    try:
        charts = page.evaluate(CHARTS_JS)
        assert len(charts) >= 4
        for chart in charts:
            assert chart["bars"] >= 2, chart  # no chart of one bar
            assert chart["width"] >= 0.9 * chart["column"], chart
            assert chart["longest"] >= 0.75 * chart["width"], chart  # the bars use that width
            assert chart["smallest_font"] >= 12, chart
            assert chart["cut"] == [], chart
        # a label is the whole name, never "驻区机关事业科…"
        assert page.locator(".sc-bars__label", has_text="驻区机关事业科研院所").count() == 1
        assert page.locator("article table").count() == 0
    finally:
        context.close()


# A word or a name drawn on more than one line is broken in the middle: a Latin word or file name
# (letters, digits, dots) anywhere in a cell, and a run of Chinese characters in a name (a header,
# a link to a unit, a person or a file, an honour's name). Other Chinese text in a cell is prose
# and may wrap between characters.
BROKEN_JS = r"""() => {
  const broken = [];
  const latin = /[A-Za-z0-9_.]{3,}/g, han = /\p{Script=Han}{2,}/gu;
  for (const cell of document.querySelectorAll('article td, article th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent.closest('.sc-sr-only')) continue;
      const name = parent.closest('th, a, .sc-name');
      for (const re of name ? [latin, han] : [latin]) {
        for (const m of node.data.matchAll(re)) {
          const range = document.createRange();
          range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
          if (tops.size > 1) broken.push(m[0]);
        }
      }
    }
  }
  return broken;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_at_360px_no_page_scrolls_sideways_and_no_cell_breaks_a_word(browser, site, path):
    context, page = _open(browser, site, path, 360)
    try:
        assert page.evaluate("document.scrollingElement.scrollWidth") <= page.evaluate("innerWidth"), path
        assert page.evaluate(BROKEN_JS) == [], path
        # a table wider than the phone scrolls inside its wrapper (the outermost: Material's script
        # wraps the templates' wrapped tables once more), which stays within the page
        for box in page.evaluate("""[...document.querySelectorAll('article .md-typeset__scrollwrap')]
                                    .filter(w => !w.parentElement.closest('.md-typeset__scrollwrap'))
                                    .map(w => w.getBoundingClientRect().right)"""):
            assert box <= 360 + 1, path
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("width", "scheme"), [(360, "light"), (360, "dark"), (1366, "light"), (1366, "dark")])
def test_stats_page_has_no_axe_violation(browser, site, width, scheme):
    from test_accessibility import _axe_js

    context, page = _open(browser, site, "stats/", width, scheme)
    try:
        assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
        page.add_script_tag(path=_axe_js())
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]] == []
        first = page.locator("#chart-categories ~ figure li").first
        # the public view's one series: the category and its member count, read as one line
        assert re.fullmatch(r"\S+ \d+", re.sub(r"\s+", " ", first.text_content()).strip())
    finally:
        context.close()
