/* Marking passport progress with no signal. A change that cannot be sent is kept in this
   phone's storage with its one-off key and sent when the connection returns; the server
   counts a key once, so a change sent twice is saved once. The person sees what is waiting
   and what was refused. Only the step, the skill's address and the note are kept. */
(function () {
  "use strict";
  const STORE = "care-companion-offline-queue";
  const status = document.querySelector("[data-offline-queue-status]");
  const list = document.querySelector("[data-offline-queue-list]");
  if (!window.fetch || !window.localStorage) return;

  function load() {
    try {
      return JSON.parse(localStorage.getItem(STORE) || "[]");
    } catch (error) {
      return [];
    }
  }
  function store(items) {
    localStorage.setItem(STORE, JSON.stringify(items));
  }

  function render() {
    if (!status || !list) return;
    const items = load();
    list.textContent = "";
    items.forEach(function (item) {
      const li = document.createElement("li");
      li.textContent = item.label + (item.refused ? " – " + item.refused : "");
      li.className = item.refused ? "offline-queue__refused" : "offline-queue__waiting";
      list.appendChild(li);
    });
    status.hidden = items.length === 0;
  }

  function send(item) {
    const token = document.querySelector('meta[name="csrf-token"]');
    const body = new URLSearchParams(item.fields);
    return fetch(item.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.content : "" },
    }).then(function (response) {
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  let flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    const items = load();
    const pending = items.filter((item) => !item.refused);
    let chain = Promise.resolve();
    let changed = false;
    pending.forEach(function (item) {
      chain = chain.then(function () {
        return send(item).then(function (result) {
          changed = true;
          const now = load();
          const index = now.findIndex((other) => other.fields.idempotency_key === item.fields.idempotency_key);
          if (index === -1) return;
          if (result.status === 409) {
            now[index].refused = result.data.message;
          } else {
            now.splice(index, 1);
          }
          store(now);
        });
      }).catch(function () { /* still offline: keep it for next time */ });
    });
    return chain.then(function () {
      flushing = false;
      render();
      if (changed && load().length === 0) window.location.reload();
    });
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("form[data-offline-queue]") || navigator.onLine) return;
    event.preventDefault();
    const fields = {};
    new FormData(form).forEach(function (value, key) { fields[key] = value; });
    const button = form.querySelector("button[data-skill]");
    const items = load();
    items.push({
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
