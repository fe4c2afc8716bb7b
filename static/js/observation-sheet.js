// The observer's phone score sheet, tolerant of a lost connection: every input is saved on the phone
// (localStorage), the sheet is sent with fetch, and a sheet that could not be sent is sent again as soon as the
// browser says it is back online. The server replaces an observer's sheet when it is sent twice.
(function () {
  "use strict";
  var form = document.querySelector("form[data-sheet]");
  if (!form) { return; }
  var key = "observation-sheet:" + form.getAttribute("data-sheet");
  var status = document.querySelector("[data-sheet-status]");
  function say(text) { if (status) { status.textContent = text; } }
  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.name !== "csrfmiddlewaretoken") { data[el.name] = el.value; }
    });
    return data;
  }
  function load() {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function store(pending) {
    try { window.localStorage.setItem(key, JSON.stringify({ fields: fields(), pending: pending })); } catch (e) { /* private mode */ }
  }
  // A sheet filled earlier on this phone (and not yet sent) comes back as it was left.
  var saved = load();
  if (saved && saved.fields) {
    Object.keys(saved.fields).forEach(function (name) {
      var el = form.elements[name];
      if (el) { el.value = saved.fields[name]; }
    });
    if (saved.pending) { say(form.getAttribute("data-offline-text")); }
  }
  form.addEventListener("input", function () {
    var before = load();
    store(Boolean(before && before.pending));
    if (!(before && before.pending)) { say(form.getAttribute("data-saved-text")); }
  });
  function send() {
    var body = new FormData(form);
    store(true);
    return fetch(form.action || window.location.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Sheet-Sync": "1", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value }
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (response.ok && answer.ok) {
          window.localStorage.removeItem(key);
          say(form.getAttribute("data-sent-text"));
          document.body.setAttribute("data-sheet-sent", "1");
        } else {
          store(false);
          say(form.getAttribute("data-error-text") + (answer.detail || []).join(" "));
        }
      });
    }).catch(function () {
      store(true);  // no connection: keep it and send it when the browser is back online
      say(form.getAttribute("data-offline-text"));
      document.body.setAttribute("data-sheet-pending", "1");
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!navigator.onLine) { store(true); say(form.getAttribute("data-offline-text")); document.body.setAttribute("data-sheet-pending", "1"); return; }
    send();
  });
  window.addEventListener("online", function () {
    var before = load();
    if (before && before.pending) { send(); }
  });
  if (navigator.onLine && saved && saved.pending) { send(); }
})();
