/* The reader's own values on a page every reader shares (and every cache may hold):
   - a form token for every form that posts to this site;
   - on an article, a fresh timestamp for the comment form, the name, email and website the
     reader asked this browser to remember, and their own comments awaiting moderation.
   They come from /reader/state/, which is never cached. Without JavaScript the forms still
   work: a post without a token gets its form back, filled in, with a fresh token. */
(function () {
  "use strict";
  var forms = Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") { return false; }
    var action = new URL(form.getAttribute("action") || "", window.location.href);
    return action.origin === window.location.origin;
  });
  var mine = document.querySelector("[data-pending-comments]");
  var commentForm = document.querySelector("[data-comment-form]");
  if (!forms.length && !mine) { return; }

  var article = (mine && mine.getAttribute("data-article")) ||
    (commentForm && commentForm.getAttribute("data-article")) || "";
  var url = "/reader/state/" + (/^[0-9]+$/.test(article) ? "?article=" + article : "");

  function setToken(form, token) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "csrfmiddlewaretoken";
      form.insertBefore(input, form.firstChild);
    }
    input.value = token;
  }

  function fillRemembered(form, commenter) {
    ["author_name", "author_email", "author_url"].forEach(function (name) {
      var input = form.elements[name];
      if (input && !input.value && typeof commenter[name] === "string") {
        input.value = commenter[name];
      }
    });
    if (form.elements.remember) { form.elements.remember.checked = true; }
  }

  function showMine(html) {
    if (!mine || !html) { return; }
    // Escaped by the server's template engine: comment text is text, never markup.
    mine.innerHTML = html;
    mine.hidden = false;
    if (window.location.hash) {
      var target = document.getElementById(window.location.hash.slice(1));
      if (target && mine.contains(target)) { target.scrollIntoView(); }
    }
  }

  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("reader state " + response.status); }
      return response.json();
    })
    .then(function (state) {
      forms.forEach(function (form) { setToken(form, state.csrf_token); });
      if (commentForm) {
        var stamp = commentForm.querySelector("[data-stamp-field]");
        if (stamp && state.stamp) { stamp.value = state.stamp; }
        if (state.commenter) { fillRemembered(commentForm, state.commenter); }
      }
      showMine(state.pending_html);
      document.documentElement.setAttribute("data-reader-state", "ready");
    })
    .catch(function () {
      /* The forms still work without it: a post without a token gets its form back. */
      document.documentElement.setAttribute("data-reader-state", "failed");
    });
})();
