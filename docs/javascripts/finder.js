/* The unit finder on the units index and on a category's pages (overrides/showcase/_macros.html
   `unit_finder`): the name box filters the list as one types, and a query from the home page's
   finder (?q=) is applied on arrival. Without this script the form still opens the units index and
   the chips still jump to their categories.
   When the list is one page of several, or the index lists no unit (a large site:
   data-sc-finder-search), typing filters what this page lists and 查找 (or a ?q= on arrival) asks
   the site search (docs/javascripts/search.js), which knows the units of every page. */
(function () {
  "use strict";
  var form = document.querySelector("form.sc-finder[data-sc-finder-live], form.sc-finder[data-sc-finder-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = form.querySelector(".sc-finder__status");
  var paged = form.hasAttribute("data-sc-finder-search");
  var live = form.hasAttribute("data-sc-finder-live");
  var rows = Array.prototype.slice.call(document.querySelectorAll(".sc-unit-list > li[data-sc-name]"));
  var names = rows.map(function (li) { return li.getAttribute("data-sc-name").toLowerCase(); });
  var categories = document.querySelectorAll("[data-sc-category]");
  var groups = document.querySelectorAll("[data-sc-group]");
  var OTHERS = "其他页的单位，请按“查找”在全站搜索";

  function apply() {
    var q = input.value.trim().toLowerCase().replace(/\s+/g, " ");
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var hit = !q || names[i].indexOf(q) !== -1;
      rows[i].hidden = !hit;
      if (hit) shown++;
    }
    [categories, groups].forEach(function (sections) {
      Array.prototype.forEach.call(sections, function (section) {
        section.hidden = !!q && !section.querySelector(".sc-unit-list > li:not([hidden])");
      });
    });
    if (!status) return;
    var text = q ? (shown ? "本页找到 " + shown + " 家单位" : "本页没有名称含“" + input.value.trim() + "”的单位") : "";
    if (!paged) text = text.replace("本页", "");
    status.textContent = q && paged ? text + "；" + OTHERS + "。" : text;
  }

  // The site search, opened with the query typed here: Material's search box, answered by search.js.
  function searchSite() {
    var box = document.forms.namedItem("site-search");
    var query = box && box.elements.namedItem("query");
    if (!query) return false;
    query.value = input.value.trim();
    query.focus();  // opens the search (search.js), which then searches what the box holds
    query.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  }

  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
    if (live) apply();
    if (paged && !live) searchSite();
  }
  if (live) input.addEventListener("input", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!(paged && input.value.trim() && searchSite())) apply();
  });
})();
