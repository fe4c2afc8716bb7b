// The compliance grid on a phone: open scrolled to the current month, the row labels staying put (CSS sticky).
// A file, not an inline script: CSP allows same-origin scripts only.
(function () {
  "use strict";
  function start() {
    var now = document.querySelector("table.compliance th[data-current]");
    if (!now) { return; }
    var wrap = now.closest(".table-wrap");
    var label = wrap.querySelector("tbody th");
    // Bring the current month just right of the fixed label column, with the previous month still in view.
    var previous = now.previousElementSibling;
    var target = (previous && previous.cellIndex > 1 ? previous : now).offsetLeft;
    wrap.scrollLeft = Math.max(0, target - (label ? label.offsetWidth : 0));
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
