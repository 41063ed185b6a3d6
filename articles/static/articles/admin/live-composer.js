/* Live coverage on an article's admin page: the entry composer and the newest updates.

   The composer posts an update through the API with the session and its CSRF token, without
   reloading (Ctrl+Enter or Cmd+Enter posts); an update with a picture goes, as a form with
   its file, to the admin's entry endpoint, which calls the same service. The list below shows
   the newest updates, checks for changes every few seconds and warns when someone else just
   posted. Each update carries the buttons the API's "permissions" allow (articles.policy:
   editors any update, reporters their own while the coverage runs): edit (through the API
   with If-Match, so an edit based on an older version is refused and names who changed it),
   delete, and for key events "Send as breaking-news alert". */
(function () {
"use strict";

function start() {
  var list = document.querySelector("[data-live-entries]");
  if (!list) { return; }
  var api = list.getAttribute("data-api");
  var entryForms = list.getAttribute("data-edit");
  var form = document.querySelector("[data-live-composer]");
  var me = list.getAttribute("data-me");
  var PAGE = 30;
  var known = {};  // id -> the entry as the API last showed it
  var mine = {};   // ids posted from this page
  var editing = {};  // ids whose edit form is open: not redrawn under the editor's hands
  var loaded = false;

  function csrf() {
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* fetch with the session: resolves to {ok, status, data, etag}; never rejects on HTTP. */
  function call(method, url, options) {
    options = options || {};
    var headers = { Accept: "application/json" };
    if (method !== "GET") { headers["X-CSRFToken"] = csrf(); }
    if (options.json !== undefined) { headers["Content-Type"] = "application/json"; }
    if (options.etag) { headers["If-Match"] = options.etag; }
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      cache: "no-store",
      headers: headers,
      body: options.json !== undefined ? JSON.stringify(options.json) : options.form
    }).then(function (response) {
      var etag = response.headers.get("ETag");
      if (response.status === 204) { return { ok: true, status: 204, data: null, etag: etag }; }
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data, etag: etag };
      });
    }, function () {
      return { ok: false, status: 0, data: { detail: "The server did not answer. Try again." } };
    });
  }

  function problem(result) {
    var data = result.data || {};
    var detail = data.detail || ("Error " + result.status);
    var fields = data.errors || {};
    var extra = Object.keys(fields).map(function (name) {
      return name + ": " + [].concat(fields[name]).join(" ");
    });
    return extra.length && !data.conflict ? detail + " (" + extra.join("; ") + ")" : detail;
  }

  /* Plain text in paragraphs (a blank line between them) as the entry's HTML. */
  function toHtml(text) {
    return text.trim().split(/\n{2,}/).map(function (para) {
      var p = document.createElement("p");
      p.textContent = para.trim();
      return p.outerHTML.replace(/\n/g, "<br>");
    }).join("");
  }

  /* The entry's HTML as plain text, or null when it has formatting plain text would lose. */
  function toText(html) {
    var doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
    var root = doc.body.firstChild;
    var plain = Array.prototype.every.call(root.querySelectorAll("*"), function (el) {
      return el.tagName === "P" || el.tagName === "BR";
    });
    if (!plain) { return null; }
    return Array.prototype.map.call(root.querySelectorAll("p"), function (p) {
      p.querySelectorAll("br").forEach(function (br) { br.replaceWith("\n"); });
      return p.textContent;
    }).join("\n\n");
  }

  function chosen(select) {
    if (!select) { return []; }
    return Array.prototype.filter.call(select.options, function (option) { return option.selected; })
      .map(function (option) { return parseInt(option.value, 10); });
  }

  /* A list of the authors an entry may be signed by, those of ``entry`` chosen. */
  function authorsSelect(entry) {
    var options = document.querySelector("[data-live-author-options]");
    var select = el("select");
    select.name = "authors";
    select.multiple = true;
    select.size = 3;
    if (options) { select.appendChild(document.importNode(options.content, true)); }
    var signed = (entry.authors || []).map(function (author) { return String(author.id); });
    Array.prototype.forEach.call(select.options, function (option) {
      option.selected = signed.indexOf(option.value) !== -1;
    });
    return select;
  }

  function flags(entry) {
    var names = [];
    if (entry.is_key_event) { names.push("key event"); }
    if (entry.is_pinned) { names.push("pinned"); }
    return names;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function button(label, className, handler) {
    var node = el("button", "button " + className, label);
    node.type = "button";
    node.addEventListener("click", handler);
    return node;
  }

  function note(li, text, isError) {
    var holder = li.querySelector(".nr-live-note");
    holder.textContent = text;
    holder.classList.toggle("errornote", Boolean(isError));
    holder.hidden = !text;
  }

  function draw(li, entry) {
    li.textContent = "";
    li.setAttribute("data-version", entry.version);
    var meta = el("p", "nr-live-meta");
    var when = new Date(entry.created_at);
    meta.appendChild(el("strong", "", when.toLocaleTimeString()));
    var names = (entry.authors || []).map(function (author) { return author.name; });
    var signed = names.join(", ") || entry.created_by || "";
    if (entry.created_by && names.indexOf(entry.created_by) === -1 && names.length) {
      signed += " (posted by " + entry.created_by + ")";
    }
    meta.appendChild(document.createTextNode(" · " + signed));
    flags(entry).forEach(function (name) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", "nr-flag nr-flag-" + name.replace(" ", "-"), name));
    });
    if (entry.version > 1 && entry.updated_by) {
      meta.appendChild(document.createTextNode(" · edited by " + entry.updated_by));
    }
    li.appendChild(meta);
    if (entry.title) { li.appendChild(el("p", "nr-live-entry-title", entry.title)); }
    if (entry.image) {
      var figure = el("p", "nr-live-entry-image");
      var img = el("img");
      img.src = entry.image.url;
      img.alt = entry.image.alt;
      img.width = 160;
      figure.appendChild(img);
      if (entry.image.caption) { figure.appendChild(el("span", "help", " " + entry.image.caption)); }
      li.appendChild(figure);
    }
    var body = el("p", "nr-live-entry-body");
    body.textContent = entry.body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
    li.appendChild(body);
    var actions = el("p", "nr-live-actions");
    var can = entry.permissions || {};
    if (can.edit) { actions.appendChild(button("Edit", "nr-live-edit", function () { edit(li, entry.id); })); }
    if (can.delete) { actions.appendChild(button("Delete", "nr-live-delete", function () { remove(li, entry.id); })); }
    if (can.alert && entry.is_key_event) {
      actions.appendChild(button("Send as breaking-news alert", "nr-live-alert", function () { sendAlert(li, entry); }));
    }
    if (actions.childNodes.length) { li.appendChild(actions); }
    var status = el("p", "nr-live-note");
    status.setAttribute("role", "status");
    status.hidden = true;
    li.appendChild(status);
  }

  function itemFor(id) { return document.getElementById("nr-live-entry-" + id); }

  /* Put an entry in its place (newest first), or redraw it when it changed. */
  function upsert(entry) {
    var li = itemFor(entry.id);
    var before = known[entry.id];
    known[entry.id] = entry;
    if (li) {
      if (!editing[entry.id] && (!before || before.version !== entry.version ||
          JSON.stringify(before.permissions) !== JSON.stringify(entry.permissions))) {
        draw(li, entry);
      }
      return false;
    }
    li = el("li", "nr-live-entry");
    li.id = "nr-live-entry-" + entry.id;
    li.setAttribute("data-entry", entry.id);
    draw(li, entry);
    var next = Array.prototype.find.call(list.children, function (other) {
      return parseInt(other.getAttribute("data-entry"), 10) < entry.id;
    });
    list.insertBefore(li, next || null);
    return true;
  }

  function warn(entry) {
    if (!form) { return; }
    var warning = form.querySelector("[data-live-warning]");
    var ago = Math.max(0, Math.round((Date.now() - new Date(entry.created_at)) / 1000));
    warning.textContent = (entry.created_by || "Someone") + " just posted an update (" + ago +
      " s ago): check it before you post yours.";
    warning.hidden = false;
  }

  /* The newest page of updates: new ones added (a warning for those posted by others),
     changed ones redrawn, deleted ones taken away. */
  function refresh() {
    return call("GET", api + "?page_size=" + PAGE).then(function (result) {
      if (!result.ok) { return; }
      var results = result.data.results || [];
      var seen = {};
      var oldest = Infinity;
      results.forEach(function (entry) {
        seen[entry.id] = true;
        oldest = Math.min(oldest, entry.id);
        if (upsert(entry) && loaded && !mine[entry.id] && entry.created_by !== me) {
          warn(entry);
        }
      });
      Array.prototype.slice.call(list.children).forEach(function (li) {
        var id = parseInt(li.getAttribute("data-entry"), 10);
        if (!seen[id] && (id >= oldest || !results.length) && !editing[id]) {
          li.remove();
          delete known[id];
        }
      });
      loaded = true;
    });
  }

  // -- Editing --------------------------------------------------------------------------
  function field(container, label, input) {
    var p = el("p");
    var id = "nr-live-" + input.name + "-" + container.getAttribute("data-entry");
    input.id = id;
    var caption = el("label", "", label);
    caption.htmlFor = id;
    p.appendChild(caption);
    p.appendChild(el("br"));
    p.appendChild(input);
    return p;
  }

  function input(name, value, type) {
    var node = el(type === "textarea" ? "textarea" : "input");
    node.name = name;
    if (type && type !== "textarea") { node.type = type; }
    if (type === "checkbox") { node.checked = Boolean(value); } else if (value !== undefined) { node.value = value; }
    if (type === "textarea") { node.rows = 5; node.cols = 80; } else if (!type) { node.className = "vTextField"; }
    return node;
  }

  function checkbox(name, label, checked) {
    var wrap = el("label");
    wrap.appendChild(input(name, checked, "checkbox"));
    wrap.appendChild(document.createTextNode(" " + label + " "));
    return wrap;
  }

  function edit(li, id) {
    note(li, "Opening…");
    call("GET", api + id + "/").then(function (result) {
      if (!result.ok) { note(li, "Cannot edit: " + problem(result), true); return; }
      var entry = result.data;
      var etag = result.etag;
      var text = toText(entry.body);
      editing[id] = true;
      li.textContent = "";
      var editor = el("form", "nr-live-edit-form");
      editor.setAttribute("data-entry", id);
      editor.setAttribute("aria-label", "Edit update");
      editor.appendChild(field(editor, "Title (optional)", input("title", entry.title)));
      editor.appendChild(field(editor, text === null ? "Update (HTML: it has formatting)" : "Update",
        input("body", text === null ? entry.body : text, "textarea")));
      if (entry.image) {
        var current = el("p", "nr-live-entry-image");
        var img = el("img");
        img.src = entry.image.url;
        img.alt = entry.image.alt;
        img.width = 160;
        current.appendChild(img);
        current.appendChild(document.createTextNode(" "));
        current.appendChild(checkbox("image_clear", "Remove the picture", false));
        editor.appendChild(current);
      }
      var file = input("image", undefined, "file");
      file.accept = "image/jpeg,image/png,image/webp";
      editor.appendChild(field(editor, entry.image ? "Replace the picture" : "Add a picture", file));
      editor.appendChild(field(editor, "Describe the picture", input("image_alt", entry.image ? entry.image.alt : "")));
      editor.appendChild(field(editor, "Caption", input("image_caption", entry.image ? entry.image.caption : "")));
      editor.appendChild(field(editor, "Signed by", authorsSelect(entry)));
      var boxes = el("p");
      boxes.appendChild(checkbox("is_key_event", "Key event", entry.is_key_event));
      boxes.appendChild(checkbox("is_pinned", "Pin at the top", entry.is_pinned));
      editor.appendChild(boxes);
      var row = el("p");
      var save = el("button", "default", "Save changes");
      save.type = "submit";
      row.appendChild(save);
      row.appendChild(document.createTextNode(" "));
      row.appendChild(button("Cancel", "nr-live-cancel", function () {
        delete editing[id];
        draw(li, known[id] || entry);
      }));
      editor.appendChild(row);
      var status = el("p", "nr-live-note");
      status.setAttribute("role", "status");
      status.hidden = true;
      editor.appendChild(status);
      li.appendChild(editor);
      editor.elements.body.focus();
      editor.addEventListener("submit", function (event) {
        event.preventDefault();
        var fields = editor.elements;
        var body = text === null ? fields.body.value : toHtml(fields.body.value);
        var change = {
          title: fields.title.value,
          body: body,
          is_key_event: fields.is_key_event.checked,
          is_pinned: fields.is_pinned.checked,
          image_alt: fields.image_alt.value,
          image_caption: fields.image_caption.value
        };
        var signed = chosen(fields.authors);
        if (signed.length) { change.authors = signed; }  // none chosen: kept as they are
        var clear = fields.image_clear && fields.image_clear.checked;
        var sending;
        if (fields.image.files.length || clear) {
          var data = new FormData();
          Object.keys(change).forEach(function (name) {
            [].concat(change[name]).forEach(function (value) { data.append(name, String(value)); });
          });
          data.append("version", String(entry.version));
          if (fields.image.files.length) { data.append("image", fields.image.files[0]); }
          if (clear) { data.append("image_clear", "true"); }
          sending = call("POST", entryForms + id + "/", { form: data });
        } else {
          sending = call("PATCH", api + id + "/", { json: change, etag: etag });
        }
        save.disabled = true;
        note(li, "Saving…");
        sending.then(function (saved) {
          save.disabled = false;
          if (!saved.ok) { note(li, "Not saved: " + problem(saved), true); return; }
          delete editing[id];
          delete known[id];
          return refresh().then(function () { note(itemFor(id) || li, "Saved."); });
        });
      });
    });
  }

  function confirmRow(li, question, yesLabel, onYes) {
    var actions = li.querySelector(".nr-live-actions");
    var ask = el("p", "nr-live-confirm", question + " ");
    ask.appendChild(button(yesLabel, "nr-live-yes", function () { ask.remove(); onYes(); }));
    ask.appendChild(document.createTextNode(" "));
    ask.appendChild(button("Cancel", "nr-live-no", function () { ask.remove(); actions.hidden = false; }));
    actions.hidden = true;
    actions.parentNode.insertBefore(ask, actions.nextSibling);
    ask.querySelector(".nr-live-yes").focus();
  }

  function remove(li, id) {
    /* Read it again first: the question shows what would go, and If-Match makes sure that is
       what goes (a change by someone else meanwhile is refused). */
    call("GET", api + id + "/").then(function (result) {
      if (!result.ok) { note(li, "Cannot delete: " + problem(result), true); return; }
      draw(li, result.data);
      known[id] = result.data;
      confirmRow(li, "Delete this update? Readers stop seeing it at once.", "Yes, delete", function () {
        call("DELETE", api + id + "/", { etag: result.etag }).then(function (done) {
          if (!done.ok) { note(li, "Not deleted: " + problem(done), true); li.querySelector(".nr-live-actions").hidden = false; return; }
          li.remove();
          delete known[id];
        });
      });
    });
  }

  function sendAlert(li, entry) {
    confirmRow(li, "Send this key event to the Breaking news list now?", "Send alert", function () {
      call("POST", api + entry.id + "/alert/").then(function (result) {
        li.querySelector(".nr-live-actions").hidden = false;
        if (!result.ok) { note(li, "Not sent: " + problem(result), true); return; }
        note(li, "Sent as a breaking-news alert (edition " + result.data.edition + ", " +
          result.data.status + "): follow it under Newsletter › Editions.");
        var sent = li.querySelector(".nr-live-alert");
        if (sent) { sent.remove(); }
      });
    });
  }

  // -- Posting --------------------------------------------------------------------------
  if (form) {
    var status = form.querySelector("[data-live-status]");
    var submit = form.querySelector("button[type=submit]");
    var imageText = form.querySelector("[data-live-image-text]");
    form.elements.image.addEventListener("change", function () {
      imageText.hidden = !form.elements.image.files.length;
    });

    var post = function () {
      var fields = form.elements;
      var text = fields.body.value.trim();
      if (!text) { fields.body.focus(); return; }
      var entry = {
        title: fields.title.value,
        body: toHtml(text),
        is_key_event: fields.is_key_event.checked,
        is_pinned: fields.is_pinned.checked
      };
      var signed = chosen(fields.authors);
      if (signed.length) { entry.authors = signed; }  // none chosen: the poster's own name
      var sending;
      if (fields.image.files.length) {
        var data = new FormData();
        Object.keys(entry).forEach(function (name) {
          [].concat(entry[name]).forEach(function (value) { data.append(name, String(value)); });
        });
        data.append("image", fields.image.files[0]);
        data.append("image_alt", fields.image_alt.value);
        data.append("image_caption", fields.image_caption.value);
        sending = call("POST", form.getAttribute("data-upload"), { form: data });
      } else {
        sending = call("POST", api, { json: entry });
      }
      submit.disabled = true;
      status.textContent = "Posting…";
      sending.then(function (result) {
        if (!result.ok) { status.textContent = "Not posted: " + problem(result); return; }
        mine[result.data.id] = true;
        form.reset();
        imageText.hidden = true;
        form.querySelector("[data-live-warning]").hidden = true;
        status.textContent = "Posted at " + new Date(result.data.created_at).toLocaleTimeString() + ".";
        return refresh();
      }).then(function () { submit.disabled = false; fields.body.focus(); });
    };

    form.addEventListener("submit", function (event) { event.preventDefault(); post(); });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); post(); }
    });
  }

  refresh().then(function () { window.setInterval(refresh, 5000); });
}

// The admin loads its media in the page's head, before the page it works on.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
})();
