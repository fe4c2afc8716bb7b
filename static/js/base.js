// Every page: Esc closes the menu (focus back on its button), a tap outside closes it too, and the 大字 switch
// changes the page at once and keeps the choice without a page load (the form still works without script).
(function () {
  "use strict";

  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll("details.menu[open]"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    openMenus().forEach(function (menu) {
      menu.open = false;
      var summary = menu.querySelector("summary");
      if (summary && menu.contains(document.activeElement)) summary.focus();
    });
  });

  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("display-switch") || !window.fetch) return;
    event.preventDefault();
    var field = form.querySelector("input[name=large_text]");
    var on = field.value === "1";
    document.documentElement.classList.toggle("large-text", on);
    var button = form.querySelector(".display-toggle");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    field.value = on ? "0" : "1";
    var data = new FormData(form);
    data.set("large_text", on ? "1" : "0");
    var request = { method: form.method.toUpperCase(), headers: { "X-Display-Switch": "1" }, credentials: "same-origin" };
    var url = form.action;
    if (request.method === "POST") {
      request.body = data;
    } else {
      url += "?" + new URLSearchParams(data).toString();
    }
    window.fetch(url, request);
  });
})();

// A table that scrolls sideways on a phone can be scrolled with the keyboard too: its wrapper takes focus.
function focusableRegions() {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".table-wrap, .checklist"), function (region) {
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "0");
  });
}
document.addEventListener("DOMContentLoaded", focusableRegions);
document.addEventListener("htmx:afterSwap", focusableRegions);
