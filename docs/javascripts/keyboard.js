/* Keyboard on phones: the header's menu and search buttons (overrides/partials/header.html) are
   real <button>s that drive Material's own checkboxes (#__drawer, #__search), so Material's CSS and
   script keep doing the sliding and the overlay. The closed drawer is hidden from Tab and screen
   readers by CSS (showcase.css, "Keyboard"), which works before and without this script.

   - The menu button says whether the drawer is open (aria-expanded); Escape closes the drawer and
     gives the focus back to the button; opening it with the keyboard moves the focus to its first
     link.
   - The skip link (Material's md-skip) goes to the page's heading, not past it to the first
     section, and exists on pages without a table of contents too.
   Independent of Material's script: it only reads and clicks the checkboxes, whichever runs first. */
(() => {
  "use strict";

  const drawer = document.getElementById("__drawer");
  const menu = document.querySelector("[data-sc-toggle='drawer']");
  const search = document.getElementById("__search");
  const searchButton = document.querySelector("[data-sc-toggle='search']");

  // A click on the checkbox (not `checked =`) fires "change", which Material listens to.
  function set(toggle, open) {
    if (toggle.checked !== open) toggle.click();
  }

  if (drawer && menu) {
    const sidebar = document.querySelector(".md-sidebar--primary");
    const show = () => {
      menu.setAttribute("aria-expanded", String(drawer.checked));
      menu.setAttribute("aria-label", drawer.checked ? menu.dataset.labelClose : menu.dataset.labelOpen);
    };
    show();
    drawer.addEventListener("change", show);

    menu.addEventListener("click", (event) => {
      const byKeyboard = event.detail === 0;  // Enter or Space, not a tap
      set(drawer, !drawer.checked);
      if (drawer.checked && byKeyboard && sidebar) {
        // The drawer becomes visible at once (its hiding waits for the slide only when closing).
        const first = [...sidebar.querySelectorAll(".md-nav__list a[href]")]
          .find((link) => link.checkVisibility({ visibilityProperty: true }));
        if (first) first.focus({ preventScroll: true });
      }
    });

    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !drawer.checked) return;
      const inside = sidebar && sidebar.contains(document.activeElement);
      set(drawer, false);
      if (inside || document.activeElement === document.body || document.activeElement === menu) {
        menu.focus();
      }
    });

    // Focus left the open drawer for the page behind it (Tab past its last link): close it.
    if (sidebar) {
      sidebar.addEventListener("focusout", (event) => {
        const to = event.relatedTarget;
        if (drawer.checked && to && !sidebar.contains(to) && to !== menu &&
            getComputedStyle(menu).display !== "none") {
          set(drawer, false);
        }
      });
    }
  }

  // The search button on phones: search.js opens the box and focuses it on the checkbox's change;
  // when the box closes again, the focus comes back to the button that opened it.
  if (search && searchButton) {
    let opener = null;
    searchButton.addEventListener("click", () => {
      opener = searchButton;
      set(search, !search.checked);
    });
    search.addEventListener("change", () => {
      if (search.checked || !opener) return;
      const back = opener;
      opener = null;
      if (getComputedStyle(back).display !== "none") setTimeout(() => back.focus());
    });
  }

  // The skip link: to the page's <h1> (or the article), which gets an id if it has none.
  const article = document.querySelector(".md-content__inner");
  const holder = document.querySelector("[data-md-component='skip']");
  if (article && holder) {
    const target = article.querySelector("h1") || article;
    if (!target.id) target.id = "sc-content";
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    let skip = holder.querySelector(".md-skip");
    if (!skip) {
      skip = document.createElement("a");
      skip.className = "md-skip";
      skip.textContent = "跳转至";
      holder.append(skip);
    }
    skip.setAttribute("href", `#${encodeURIComponent(target.id)}`);
  }
})();
