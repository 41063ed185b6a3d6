/* Live coverage: new entries without reloading.
   Every few seconds the page asks one small document that every reader shares (and every cache
   holds until an entry is posted) for the ids of the newest entries; the browser revalidates it
   (304 while nothing changed). When there are entries newer than the newest on the page it
   shows "N new updates" as a button; pressing it fetches those entries, rendered as the page
   renders them, and inserts them at the top. Without JavaScript a reload shows them. When an
   editor ends the coverage, it says so and stops asking.
   A link to an entry that is not on this page (#entry-<id>, far down long coverage) opens the
   page that starts at it. */
(function () {
  "use strict";
  var section = document.querySelector("[data-live]");
  if (!section) { return; }

  var match = /^#entry-([0-9]+)$/.exec(window.location.hash);
  if (match && !document.getElementById("entry-" + match[1]) &&
      !/[?&]from=/.test(window.location.search)) {
    window.location.replace("?from=" + match[1] + "#entry-" + match[1]);
    return;
  }

  var newestAttr = section.getAttribute("data-live-newest");
  if (newestAttr === null || !section.hasAttribute("data-live-running")) { return; }
  var newest = parseInt(newestAttr, 10);
  var pollUrl = section.getAttribute("data-live-poll");
  var entriesUrl = section.getAttribute("data-live-entries");
  var seconds = Math.max(3, parseInt(section.getAttribute("data-live-seconds"), 10) || 10);
  var list = section.querySelector("[data-live-list]");
  var holder = section.querySelector("[data-live-button]");
  var button = holder.querySelector("button");
  var ended = section.querySelector("[data-live-ended]");
  var waiting = [];
  var more = false;
  var timer = null;

  function label(count, atLeast) {
    return (atLeast ? count + "+" : count) + (count === 1 && !atLeast ? " new update" : " new updates");
  }

  function show() {
    if (!waiting.length) { holder.hidden = true; return; }
    button.textContent = label(waiting.length, more);
    holder.hidden = false;
  }

  function poll() {
    fetch(pollUrl, { cache: "no-cache", credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var ids = data.ids || [];
        waiting = ids.filter(function (id) { return id > newest; });
        // Every id in the answer is new and ours is not among them: there may be more.
        more = newest > 0 && waiting.length > 0 && waiting.length === ids.length;
        show();
        if (!data.is_live) { stop(); ended.hidden = false; }
      })
      .catch(function () { /* offline for a moment: ask again next time */ })
      .then(schedule);
  }

  function schedule() {
    if (timer !== false) { timer = window.setTimeout(poll, seconds * 1000); }
  }

  function stop() {
    if (timer) { window.clearTimeout(timer); }
    timer = false;
  }

  button.addEventListener("click", function () {
    if (more) { window.location.reload(); return; }
    button.disabled = true;
    fetch(entriesUrl + "?after=" + newest, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) { throw new Error("entries " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-live-new]");
        if (!fresh || fresh.hasAttribute("data-more")) { window.location.reload(); return; }
        var items = Array.prototype.slice.call(fresh.children);
        var first = null;
        items.reverse().forEach(function (item) {
          var id = parseInt(item.getAttribute("data-entry"), 10);
          if (document.getElementById("entry-" + id)) { return; }
          list.insertBefore(document.importNode(item, true), list.firstChild);
          first = list.firstChild;
          if (id > newest) { newest = id; }
        });
        var empty = section.querySelector(".live__empty");
        if (empty) { empty.remove(); }
        waiting = [];
        show();
        if (first) {
          var link = first.querySelector("a, h3");
          if (link) { link.focus({ preventScroll: true }); }
          first.scrollIntoView({ block: "nearest" });
        }
      })
      .catch(function () { window.location.reload(); })
      .then(function () { button.disabled = false; });
  });

  ended.querySelector("button").addEventListener("click", function () {
    window.location.reload();
  });

  schedule();
})();
