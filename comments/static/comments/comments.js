/* Comments: a small convenience on top of a form that works without JavaScript: "Reply" moves
   the form under the comment instead of opening the reply page. (The reader's own values, the
   form token and their remembered details, come from website/static/website/reader.js.) */
(function () {
  "use strict";
  var form = document.querySelector("[data-comment-form]");
  if (!form) { return; }

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
