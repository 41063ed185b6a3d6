/* Comments: small conveniences on top of a form that works without JavaScript.
   - fills name, email and website from the reader's own "remember me" cookie (the page is
     cached and shared, so the server never writes anyone's details into it);
   - "Reply" moves the form under the comment instead of opening the reply page. */
(function () {
  "use strict";
  var form = document.querySelector("[data-comment-form]");
  if (!form) { return; }

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var index = parts[i].indexOf("=");
      if (parts[i].slice(0, index) === name) { return parts[i].slice(index + 1); }
    }
    return null;
  }

  var raw = readCookie("newsroom_commenter");
  if (raw) {
    try {
      var saved = JSON.parse(decodeURIComponent(raw));
      ["author_name", "author_email", "author_url"].forEach(function (name) {
        var input = form.elements[name];
        if (input && !input.value && typeof saved[name] === "string") { input.value = saved[name]; }
      });
      if (form.elements.remember) { form.elements.remember.checked = true; }
    } catch (error) { /* an unreadable cookie just means an empty form */ }
  }

  var respond = document.getElementById("respond");
  var home = respond && respond.parentNode;
  var homeNext = respond && respond.nextSibling;
  var parentField = form.querySelector("[data-parent-field]");
  var info = form.querySelector("[data-reply-info]");
  var nameSlot = form.querySelector("[data-reply-name]");
  var cancel = form.querySelector("[data-reply-cancel]");
  if (!respond || !parentField || !info) { return; }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-reply-to]") : null;
    if (!link) { return; }
    var item = document.getElementById("comment-" + link.getAttribute("data-reply-to"));
    if (!item) { return; }
    event.preventDefault();
    var author = item.querySelector(".comment__author");
    parentField.value = link.getAttribute("data-reply-to");
    nameSlot.textContent = author ? author.textContent : "";
    info.hidden = false;
    item.querySelector(".comment__body").after(respond);
    form.elements.body.focus();
  });

  cancel.addEventListener("click", function () {
    parentField.value = "";
    info.hidden = true;
    home.insertBefore(respond, homeNext);
    form.elements.body.focus();
  });
})();
