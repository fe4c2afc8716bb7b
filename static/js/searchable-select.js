// A search box above every long list of schools or organizations (a <select data-searchable>): typing part of
// a name or township narrows the choices; the select itself stays the form field, so nothing changes without JS.
(function () {
  "use strict";
  var MIN_OPTIONS = 12;

  function attach(select) {
    if (select.dataset.searchableReady || select.options.length < MIN_OPTIONS) return;
    select.dataset.searchableReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.id = select.id ? select.id + "_search" : "";
    // The box goes before the select's label when the label wraps it: a label names its first control only.
    var wrapper = select.closest("label");
    var label = wrapper || (select.id && document.querySelector('label[for="' + select.id + '"]'));
    var name = "";
    if (label) {
      name = wrapper ? (wrapper.firstChild && wrapper.firstChild.nodeType === 3 ? wrapper.firstChild.textContent : "")
                     : label.textContent;
    }
    var prefix = select.dataset.searchLabel || "";
    var space = /[A-Za-z]$/.test(prefix) ? " " : "";  // "搜索学校", "Search School"
    box.setAttribute("aria-label", prefix + space + name.trim().replace(/[:：]$/, ""));
    box.placeholder = select.dataset.searchHint || "";
    if (select.id) box.setAttribute("aria-controls", select.id);
    var anchor = wrapper || select;
    anchor.parentNode.insertBefore(box, anchor);
    box.addEventListener("input", function () {
      var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var firstShown = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var text = option.text.toLowerCase();
        var shown = !option.value || words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !shown;
        option.disabled = !shown && !option.selected;
        if (shown && option.value && firstShown === null) firstShown = option;
      });
      // One match left: choose it, so a phone user need not open the list at all.
      var matches = Array.prototype.filter.call(select.options, function (o) { return o.value && !o.hidden; });
      if (matches.length === 1 && firstShown) {
        select.value = firstShown.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function attachAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select[data-searchable]"), attach);
  }

  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { attachAll(event.target); });
})();
