// The organizer's page asks for the sheets' arrival table every few seconds while the event is open.
(function () {
  "use strict";
  var box = document.querySelector("[data-arrivals][data-poll]");
  if (!box) { return; }
  var every = parseInt(box.getAttribute("data-poll"), 10) * 1000;
  function refresh() {
    fetch(box.getAttribute("data-arrivals"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) { box.innerHTML = html; } })
      .catch(function () { /* try again at the next tick */ });
  }
  window.setInterval(refresh, every);
})();
