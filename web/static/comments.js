// jarchy comments: with this script the comment form posts in place, a
// reply link moves the form under its comment, and the form's timestamp
// is fetched fresh when the reader starts typing. Without it the plain
// form does all of this by page loads. No other script runs on the site.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = document.getElementById("comment-status");
  var list = document.getElementById("comment-list");
  var home = form.parentNode;
  var started = false;

  function say(text, ok) {
    status.textContent = text;
    status.className = ok ? "comment-status ok" : "comment-status error";
  }

  function start() {
    if (started) {
      return;
    }
    started = true;
    fetch("/comments/start", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) { if (j && j.t) { form.elements.t.value = j.t; } })
      .catch(function () {});
  }
  form.addEventListener("focusin", start);

  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a.comment-reply") : null;
    if (!link) {
      return;
    }
    e.preventDefault();
    var item = document.getElementById("c-" + link.getAttribute("data-id"));
    if (!item) {
      return;
    }
    form.elements.parent.value = link.getAttribute("data-id");
    item.appendChild(form);
    form.elements.text.focus();
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(form.getAttribute("data-sending"), true);
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        button.disabled = false;
        if (j.t) {
          form.elements.t.value = j.t;
        }
        if (j.errors) {
          say(j.errors.join(" "), false);
          return;
        }
        form.elements.text.value = "";
        say(j.message, true);
        if (j.html) {
          var t = document.createElement("template");
          t.innerHTML = j.html; // rendered by the server, every text escaped
          var parentID = form.elements.parent.value;
          var target = list;
          if (parentID) {
            var parent = document.getElementById("c-" + parentID);
            if (parent) {
              target = parent.querySelector("ol.comment-replies");
              if (!target) {
                target = document.createElement("ol");
                target.className = "comment-replies";
                parent.appendChild(target);
              }
            }
          }
          target.appendChild(t.content);
        }
        form.elements.parent.value = "";
        home.appendChild(form);
      })
      .catch(function () {
        button.disabled = false;
        form.submit(); // the plain post still works
      });
  });
})();
