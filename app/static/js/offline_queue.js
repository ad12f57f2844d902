/* Marking passport progress with no signal. A change that cannot be sent is kept in this
   phone's storage with its one-off key and sent when the connection returns; the server
   counts a key once, so a change sent twice is saved once. The person sees what is waiting
   and what was refused.

   Only the step, the skill's address and the note are kept: never the form's CSRF token,
   which dies with the sign-in (the page's current token goes in a header when sending).
   Each change belongs to the person who made it: on a shared phone, someone else signed in
   neither sees nor sends it. */
(function () {
  "use strict";
  const STORE = "care-companion-offline-queue";
  const status = document.querySelector("[data-offline-queue-status]");
  const list = document.querySelector("[data-offline-queue-list]");
  if (!window.fetch || !window.localStorage || !status) return;
  const owner = status.dataset.owner || "";

  function loadAll() {
    try {
      return JSON.parse(localStorage.getItem(STORE) || "[]");
    } catch (error) {
      return [];
    }
  }
  function mine(item) {
    return item.owner === owner;
  }
  function store(items) {
    localStorage.setItem(STORE, JSON.stringify(items));
  }
  function sameChange(a, b) {
    return a.fields.idempotency_key === b.fields.idempotency_key;
  }
  function update(item, change) {
    const items = loadAll();
    const index = items.findIndex((other) => sameChange(other, item));
    if (index === -1) return;
    if (change === null) items.splice(index, 1);
    else Object.assign(items[index], change);
    store(items);
  }

  function render() {
    const items = loadAll().filter(mine);
    list.textContent = "";
    items.forEach(function (item) {
      const li = document.createElement("li");
      li.textContent = item.label + (item.refused ? " – " + item.refused : "");
      li.className = item.refused ? "offline-queue__refused" : "offline-queue__waiting";
      if (item.refused) {
        const dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.className = "link-button";
        dismiss.textContent = status.dataset.dismiss;
        dismiss.addEventListener("click", function () {
          update(item, null);
          render();
        });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(dismiss);
      }
      list.appendChild(li);
    });
    const waiting = items.some((item) => !item.refused);
    status.querySelector("[data-offline-note]").hidden = !waiting;
    status.querySelector("[data-refused-note]").hidden = waiting || items.length === 0;
    status.hidden = items.length === 0;
  }

  function send(item) {
    const token = document.querySelector('meta[name="csrf-token"]');
    return fetch(item.action, {
      method: "POST",
      body: new URLSearchParams(item.fields),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.content : "" },
    }).then(function (response) {
      return response
        .json()
        .catch(function () { return null; })
        .then(function (data) { return { response: response, data: data }; });
    });
  }

  let flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    const pending = loadAll().filter((item) => mine(item) && !item.refused);
    let chain = Promise.resolve();
    let sent = false;
    pending.forEach(function (item) {
      chain = chain.then(function () {
        return send(item).then(function (result) {
          const response = result.response;
          if (response.ok && result.data) {
            update(item, null);
            sent = true;
          } else if (result.data && result.data.status === "refused") {
            // Refused for good (changed meanwhile, too young): say why, never retry.
            update(item, { refused: result.data.message || status.dataset.couldNotSend });
          } else if (response.status === 404) {
            update(item, { refused: status.dataset.couldNotSend });
          }
          // Anything else (a server error; no sign-in any more, so the sign-in page or a
          // CSRF refusal): keep it and send it once the person is signed in again.
        });
      }).catch(function () { /* still offline: keep it for next time */ });
    });
    return chain.then(function () {
      flushing = false;
      render();
      if (sent && !loadAll().some((item) => mine(item) && !item.refused)) window.location.reload();
    });
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("form[data-offline-queue]") || navigator.onLine) return;
    event.preventDefault();
    const fields = {};
    new FormData(form).forEach(function (value, key) {
      if (key !== "csrf_token") fields[key] = value;
    });
    const button = form.querySelector("button[data-skill]");
    const items = loadAll();
    items.push({
      owner: owner,
      action: form.action,
      fields: fields,
      label: (button ? button.dataset.skill + ": " : "") + (button ? button.firstChild.textContent.trim() : ""),
    });
    store(items);
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    render();
  });

  window.addEventListener("online", flush);
  render();
  flush();
})();
