/* Saves a form as the person types (after a short pause), so nothing is lost if the phone
   dies or the page is closed. The Save button still works without this file. */
(function () {
  "use strict";
  const script = document.currentScript;
  const form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  const status = form.querySelector("[data-autosave-status]");
  const lock = form.querySelector('input[name="lock_version"]');
  let timer = null;

  function say(text, problem) {
    if (!status) return;
    status.textContent = text;
    // A refusal must not read like the quiet "Saved": it is said plainly, in the error colour.
    status.classList.toggle("autosave-status--problem", Boolean(problem));
  }

  function save() {
    const data = new FormData(form);
    data.delete("share");
    const token = document.querySelector('meta[name="csrf-token"]');
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": token ? token.content : "" },
    })
      .then((response) => response.json().then((body) => ({ ok: response.ok, body: body })))
      .then((result) => {
        if (result.ok && result.body.saved) {
          if (lock) lock.value = result.body.lock_version;
          say(script.dataset.saved);
        } else {
          say(result.body.message ? script.dataset.notSaved + " " + result.body.message : script.dataset.failed, true);
        }
      })
      .catch(() => say(script.dataset.failed, true));
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
})();
