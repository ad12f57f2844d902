/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // Leave this site quickly: blank the page at once, sign out on the server with a request
  // that outlives the page, forget what this page can forget, then replace the page in
  // history so Back does not come back here. The passport ticks waiting for a signal stay:
  // nothing saved may be lost.
  function quickExit(form) {
    document.title = "";
    document.body.hidden = true;
    signOutNow(form.action);
    try { window.sessionStorage.clear(); } catch (error) { /* private mode */ }
    const go = function () { window.location.replace(form.dataset.exitUrl); };
    // Emptying the caches takes a moment; never let it keep anyone here for long.
    Promise.race([emptyCaches(), new Promise((resolve) => setTimeout(resolve, 500))]).then(go, go);
  }

  function signOutNow(url) {
    // "beacon" asks for an empty answer instead of the redirect a form without script gets.
    const body = new URLSearchParams({ beacon: "1" });
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(url, body)) return;
    } catch (error) { /* fall back to fetch */ }
    if (window.fetch) {
      fetch(url, { method: "POST", body: body, keepalive: true, credentials: "same-origin" }).catch(() => {});
    }
  }

  // Every cache this site has; the service worker keeps only the app shell, and puts it back.
  function emptyCaches() {
    if (!("caches" in window)) return Promise.resolve();
    return caches.keys()
      .then((keys) => Promise.all(keys.map((key) => caches.delete(key))))
      .then(function () {
        const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
        if (worker) worker.postMessage("recache-shell");
      })
      .catch(() => {});
  }

  // Back (or Forward) can bring a page back from the browser's memory without asking the
  // server. A signed-in page comes back hidden and is asked for again: after a quick exit
  // the session has ended, and the server answers with the sign-in page.
  window.addEventListener("pagehide", function (event) {
    if (event.persisted && document.body && document.body.hasAttribute("data-signed-in")) {
      document.body.hidden = true;
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.body && document.body.hasAttribute("data-signed-in")) {
      document.body.hidden = true;
      window.location.reload();
    }
  });

  // The sticky header's real height, so links to a place on the page land below it.
  function measureHeader() {
    const header = document.querySelector(".site-header");
    if (header) document.documentElement.style.setProperty("--header-height", header.offsetHeight + "px");
  }
  measureHeader();
  window.addEventListener("resize", measureHeader);

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.matches("form[data-quick-exit]")) {
      event.preventDefault();
      quickExit(form);
    }
    // A button that asks first (the button_form macro's confirm): without script it is sent.
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  let shiftPresses = [];
  let shiftAlone = false;
  document.addEventListener("keydown", function (event) {
    // Capital letters are typed with Shift too (activation codes are all capitals): only
    // Shift pressed on its own counts, and typing anything else starts the count again.
    shiftAlone = event.key === "Shift";
    if (!shiftAlone) shiftPresses = [];
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || !shiftAlone) return;
    const now = Date.now();
    shiftPresses = shiftPresses.filter((t) => now - t < 2000);
    shiftPresses.push(now);
    if (shiftPresses.length < 3) return;
    const form = document.querySelector("form[data-quick-exit]");
    if (form) quickExit(form);
  });

  // A fetch that carries the CSRF token, for features that post from script.
  window.careApp = {
    csrfFetch: function (url, options) {
      const token = document.querySelector('meta[name="csrf-token"]');
      const opts = Object.assign({ credentials: "same-origin" }, options || {});
      opts.headers = Object.assign({}, opts.headers || {}, { "X-CSRFToken": token ? token.content : "" });
      return fetch(url, opts);
    },
  };

  // Put a form's problems in front of the person (and their screen reader).
  document.addEventListener("DOMContentLoaded", function () {
    const summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });

  // A problem's link goes to its box; the box's label and message sit above it, and under
  // the sticky header they were hidden. Show the whole field, then put the cursor in the box.
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    const box = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!box) return;
    const field = box.closest(".field, fieldset") || box;
    event.preventDefault();
    field.scrollIntoView({ block: "start" });
    box.focus({ preventScroll: true });
    history.replaceState(null, "", link.getAttribute("href"));
  });

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function (error) {
        console.warn("Service worker not registered", error);
      });
    });
  }

  // Signing out: passport changes still waiting for a signal belong to the person signing
  // out, so theirs go with them; anyone else's on a shared phone wait for their owner.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("form[data-sign-out]")) return;
    try {
      const key = "care-companion-offline-queue";
      const items = JSON.parse(window.localStorage.getItem(key) || "[]");
      const others = items.filter((item) => item.owner !== form.dataset.owner);
      if (others.length) window.localStorage.setItem(key, JSON.stringify(others));
      else window.localStorage.removeItem(key);
    } catch (error) { /* private mode, or nothing stored */ }
  });

  // After signing out: empty every cache this site has, then let the worker keep the shell.
  if (document.body && document.body.hasAttribute("data-signed-out")) {
    // The next person to sign in on this phone sends the subscription again, so reminders
    // follow whoever uses the app now.
    try { window.sessionStorage.removeItem("care-companion-push-sent"); } catch (error) { /* private mode */ }
  }
  if (document.body && document.body.hasAttribute("data-signed-out") && "caches" in window) {
    caches.keys()
      .then((keys) => Promise.all(keys.map((key) => caches.delete(key))))
      .then(() => navigator.serviceWorker && navigator.serviceWorker.ready)
      .then((registration) => registration && registration.active && registration.active.postMessage("recache-shell"))
      .catch(() => {});
  }

  // "Add the app" where the browser offers it; iPhone steps are on the page regardless.
  let installPrompt = null;
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    installPrompt = event;
    document.querySelectorAll("[data-install-card]").forEach((el) => { el.hidden = false; });
  });
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-install-button]");
    if (!button || !installPrompt) return;
    installPrompt.prompt();
    installPrompt.userChoice.finally(function () {
      installPrompt = null;
      document.querySelectorAll("[data-install-card]").forEach((el) => { el.hidden = true; });
    });
  });
})();
