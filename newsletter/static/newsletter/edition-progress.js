// Live progress on the edition admin page: polls the progress URL while the edition is being
// sent and updates the figures in place. Without JavaScript the page shows them as of loading.
(function () {
  "use strict";
  var panel = document.getElementById("newsletter-progress");
  if (!panel) { return; }
  var url = panel.getAttribute("data-progress-url");
  var active = ["preparing", "sending", "paused"];
  var number = new Intl.NumberFormat();

  function show(data) {
    Object.keys(data).forEach(function (key) {
      var node = panel.querySelector('[data-field="' + key + '"]');
      if (!node) { return; }
      var value = data[key];
      if (value === null || value === "") { value = "–"; }
      else if (typeof value === "number" && key !== "rate") { value = number.format(value); }
      node.textContent = value;
    });
    var bar = panel.querySelector('[data-field="done_percent_bar"]');
    if (bar) { bar.value = data.done_percent; }
    if (data.status !== panel.getAttribute("data-status")) {
      // A new state offers other buttons: reload once it settles.
      if (active.indexOf(data.status) === -1) { window.location.reload(); }
      panel.setAttribute("data-status", data.status);
    }
  }

  function poll() {
    if (active.indexOf(panel.getAttribute("data-status")) === -1) { return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { show(data); } })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 2000);
})();
