/* The live entry composer on a live article's admin page: posts an update through the API
   with the session and its CSRF token, without reloading; lists the newest updates below and
   checks for new ones every few seconds, warning when someone else just posted. Ctrl+Enter
   (or Cmd+Enter) posts. */
(function () {
  "use strict";
  var form = document.querySelector("[data-live-composer]");
  if (!form) { return; }
  var api = form.getAttribute("data-api");
  var list = document.querySelector("[data-live-entries]");
  var status = form.querySelector("[data-live-status]");
  var warning = form.querySelector("[data-live-warning]");
  var button = form.querySelector("button[type=submit]");
  var newest = 0;
  var mine = {};

  function csrf() {
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function item(entry) {
    var li = document.createElement("li");
    li.id = "nr-live-entry-" + entry.id;
    var meta = document.createElement("strong");
    var when = new Date(entry.created_at);
    meta.textContent = when.toLocaleTimeString() + " · " + (entry.created_by || "") +
      (entry.is_key_event ? " · key event" : "") + (entry.is_pinned ? " · pinned" : "");
    li.appendChild(meta);
    if (entry.title) {
      var title = document.createElement("div");
      title.textContent = entry.title;
      li.appendChild(title);
    }
    var body = document.createElement("div");
    body.textContent = entry.body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
    li.appendChild(body);
    return li;
  }

  function add(entries, announce) {
    entries.slice().reverse().forEach(function (entry) {
      if (document.getElementById("nr-live-entry-" + entry.id)) { return; }
      list.insertBefore(item(entry), list.firstChild);
      if (entry.id > newest) { newest = entry.id; }
      if (announce && !mine[entry.id]) {
        var ago = Math.max(0, Math.round((Date.now() - new Date(entry.created_at)) / 1000));
        warning.textContent = (entry.created_by || "Someone") + " just posted an update (" +
          ago + " s ago): check it before you post yours.";
        warning.hidden = false;
      }
    });
  }

  function load(announce) {
    var url = api + (newest ? "?after=" + newest : "");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { add(data.results, announce); } })
      .catch(function () { /* the next check tries again */ });
  }

  function post() {
    var body = form.elements.body.value.trim();
    if (!body) { form.elements.body.focus(); return; }
    var html = body.split(/\n{2,}/).map(function (para) {
      var p = document.createElement("p");
      p.textContent = para;
      return p.outerHTML.replace(/\n/g, "<br>");
    }).join("");
    button.disabled = true;
    status.textContent = "Posting…";
    fetch(api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({
        title: form.elements.title.value,
        body: html,
        is_key_event: form.elements.is_key_event.checked,
        is_pinned: form.elements.is_pinned.checked
      })
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (!result.ok) { status.textContent = "Not posted: " + (result.data.detail || "error"); return; }
        mine[result.data.id] = true;
        form.reset();
        warning.hidden = true;
        status.textContent = "Posted at " + new Date(result.data.created_at).toLocaleTimeString() + ".";
        return load(true);
      })
      .catch(function () { status.textContent = "Not posted: the server did not answer. Try again."; })
      .then(function () { button.disabled = false; form.elements.body.focus(); });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); post(); });
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); post(); }
  });
  load(false).then(function () { window.setInterval(function () { load(true); }, 5000); });
})();
