// The newsroom's only script: on the article editor, the slug the title
// gives (as a hint), a preview rendered by the site's own markup, and the
// autosave of drafts. Every page works without it.
"use strict";
(function () {
  const form = document.getElementById("editor");
  if (!form) return;
  const el = (name) => form.elements.namedItem(name);
  const status = document.getElementById("autosave-status");
  const say = (text) => { if (status) status.textContent = text; };

  // The slug the title gives, shown as the slug field's hint while it is
  // empty (the store derives the same when it stays empty).
  const title = el("title"), slug = el("slug"), lang = el("lang");
  let slugTimer;
  if (title && slug && lang && form.dataset.slugUrl) {
    title.addEventListener("input", () => {
      clearTimeout(slugTimer);
      slugTimer = setTimeout(async () => {
        const q = new URLSearchParams({ lang: lang.value, title: title.value });
        try {
          const r = await fetch(form.dataset.slugUrl + "?" + q, { credentials: "same-origin" });
          if (r.ok) slug.placeholder = await r.text();
        } catch (e) { /* the hint is optional */ }
      }, 300);
    });
  }

  // Preview without leaving the page.
  const previewButton = form.querySelector('button[name="preview"]');
  const preview = document.getElementById("preview");
  if (previewButton && preview && form.dataset.previewUrl) {
    previewButton.addEventListener("click", async (e) => {
      e.preventDefault();
      const data = new URLSearchParams({ _token: el("_token").value, body: el("body").value });
      try {
        const r = await fetch(form.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" });
        if (!r.ok) throw new Error(String(r.status));
        preview.innerHTML = await r.text(); // sanitised by the server's markup pipeline
        preview.hidden = false;
      } catch (err) {
        form.requestSubmit(previewButton); // the page-reload preview
      }
    });
  }

  // Autosave of drafts: every few seconds after a change, never publishing.
  let target = form.dataset.autosave;
  if (!target) return;
  let dirty = false, busy = false, stopped = false, pending = null;
  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("submit", (e) => {
    if (busy) { // let the running autosave finish first, then submit
      e.preventDefault();
      pending = e.submitter || null;
      return;
    }
    stopped = true;
  });
  const save = async () => {
    if (!dirty || busy || stopped) return;
    dirty = false;
    busy = true;
    say(form.dataset.msgSaving);
    const data = new URLSearchParams(new FormData(form));
    data.delete("to");
    data.delete("preview");
    try {
      const r = await fetch(target, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } });
      const answer = await r.json();
      if (r.ok) {
        if (answer.version) {
          let v = el("version");
          if (!v) {
            v = document.createElement("input");
            v.type = "hidden";
            v.name = "version";
            form.appendChild(v);
          }
          v.value = answer.version;
        }
        if (answer.url) { // the autosave created the draft: from now on, edit it
          form.action = answer.url;
          target = answer.url + "/autosave";
          history.replaceState(null, "", answer.url);
        }
        if (answer.id) say(form.dataset.msgSaved + " " + new Date().toLocaleTimeString());
      } else {
        say(answer.error || form.dataset.msgFailed);
        if (r.status === 409) stopped = true; // a conflict: the Save button shows both versions
      }
    } catch (err) {
      say(form.dataset.msgFailed);
      dirty = true;
    }
    busy = false;
    if (pending !== null) {
      const b = pending;
      pending = null;
      stopped = true;
      form.requestSubmit(b);
    }
  };
  setInterval(save, 4000);
})();
