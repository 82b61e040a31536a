/* The unit finder on the units index (overrides/showcase/_macros.html `unit_finder`): the name
   box filters the list as one types, and a query from the home page's finder (?q=) is applied on
   arrival. Without this script the form still opens the units index and the chips still jump to
   their categories. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-sc-finder-live]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = form.querySelector(".sc-finder__status");
  var rows = Array.prototype.slice.call(document.querySelectorAll(".sc-unit-list > li[data-sc-name]"));
  var names = rows.map(function (li) { return li.getAttribute("data-sc-name").toLowerCase(); });
  var categories = document.querySelectorAll("[data-sc-category]");
  var groups = document.querySelectorAll("[data-sc-group]");

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
    if (status) status.textContent = q ? (shown ? "找到 " + shown + " 家单位" : "没有找到名称含“" + input.value.trim() + "”的单位") : "";
  }

  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; apply(); }
  input.addEventListener("input", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
})();
