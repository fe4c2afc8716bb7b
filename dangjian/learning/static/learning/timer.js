// Counts down the time left on a timed paper. Display only: the server enforces the limit.
(function () {
  var el = document.getElementById("timer");
  if (!el || !el.dataset.remaining) return;
  var left = parseInt(el.dataset.remaining, 10);
  var label = el.dataset.label || "";
  var ended = el.dataset.ended || "";
  function show() {
    if (left <= 0) { el.textContent = ended; el.classList.add("error"); return; }
    var m = Math.floor(left / 60), s = left % 60;
    el.textContent = label.replace("%s", m + ":" + (s < 10 ? "0" : "") + s);
    left -= 1;
    setTimeout(show, 1000);
  }
  show();
})();
