/* Reminders on this phone. Permission is asked for only when the person presses "Turn on
   reminders" (never when a page loads). Each time the app opens with permission already
   given, the browser's current subscription is sent again: browsers renew subscriptions
   on their own, and the server must always have the newest one. */
(function () {
  "use strict";
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  const keyMeta = document.querySelector('meta[name="vapid-public-key"]');
  const key = keyMeta ? keyMeta.content : "";
  const SUBSCRIBE_URL = "/reminders/subscriptions";

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    const raw = window.atob(padded);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function currentSubscription(registration) {
    return registration.pushManager.getSubscription().then(function (existing) {
      if (existing) return existing;
      return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
    });
  }

  function send(subscription) {
    return window.careApp.csrfFetch(SUBSCRIBE_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(subscription.toJSON()),
    }).then(function (response) {
      if (response.ok) return response;
      // The server says why in words for the person (such as "too many devices").
      return response.json().catch(function () { return {}; }).then(function (body) {
        const error = new Error("subscription refused: " + response.status + " " + (body.detail || ""));
        error.userMessage = body.message;
        throw error;
      });
    });
  }

  // Every time the app opens (once per visit, not on every page of it).
  const SENT = "care-companion-push-sent";
  function sentThisVisit() {
    try { return window.sessionStorage.getItem(SENT) === "1"; } catch (error) { return false; }
  }
  if (supported && key && window.careApp && Notification.permission === "granted" && !sentThisVisit()) {
    navigator.serviceWorker.ready
      .then(currentSubscription)
      .then(send)
      .then(function () {
        try { window.sessionStorage.setItem(SENT, "1"); } catch (error) { /* private mode */ }
      })
      .catch(function (error) { console.warn("Reminders: subscription not sent", error); });
  }

  // The settings page.
  const panel = document.querySelector("[data-push-panel]");
  if (!panel || !supported || !key) return;
  const button = panel.querySelector("[data-push-enable]");
  const status = panel.querySelector("[data-push-status]");
  panel.querySelector("[data-push-unsupported]").hidden = true;

  function say(text) {
    status.textContent = text;
    status.hidden = !text;
  }

  if (Notification.permission === "denied") {
    say(panel.dataset.textDenied);
    return;
  }
  if (Notification.permission === "granted") say(panel.dataset.textOn);
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") {
          say(panel.dataset.textDenied);
          throw new Error("permission " + permission);
        }
        return navigator.serviceWorker.ready;
      })
      .then(currentSubscription)
      .then(send)
      .then(function () {
        say(panel.dataset.textOn);
        window.location.reload();
      })
      .catch(function (error) {
        console.warn("Reminders: not turned on", error);
        if (Notification.permission !== "denied") say(error.userMessage || panel.dataset.textFailed);
      })
      .finally(function () { button.disabled = false; });
  });
})();
