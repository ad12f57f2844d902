/* The service worker. It keeps only the app shell (styles, script, icons, the offline
   page). Pages are always fetched from the network and never stored, because they can hold
   a young person's details. */
const SHELL_CACHE = "shell-{{ version }}";
const SHELL = {{ shell | tojson }};
const OFFLINE_URL = {{ offline | tojson }};
const SHELL_PATHS = new Set(SHELL.map((path) => path.split("?")[0]));

function cacheShell() {
  return caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL));
}

self.addEventListener("install", (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== SHELL_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  // The shell's URLs carry each file's version (?v=), so a new stylesheet is a new URL
  // and a new worker. A page from before the change asks for an older version: it gets
  // the network's answer, or offline the shell's copy of the same file.
  if (SHELL.includes(url.pathname + url.search)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  } else if (SHELL_PATHS.has(url.pathname)) {
    event.respondWith(fetch(request).catch(() => caches.match(request, { ignoreSearch: true })));
  }
});

// After sign-out the page empties every cache; the shell (nothing personal) comes back.
self.addEventListener("message", (event) => {
  if (event.data === "recache-shell") {
    event.waitUntil(cacheShell());
  }
});

// Reminders. The payload is the app's name, what to say (only "You have something new"
// unless the person chose to show details) and the page to open; nothing else.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const title = data.title || {{ app_name | tojson }};
  const options = {
    body: data.body || {{ discreet | tojson }},
    icon: {{ icon | tojson }},
    badge: {{ icon | tojson }},
    tag: data.tag || "care-companion",
    data: { url: sameOriginPath(data.url) },
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

// Only paths on this site: a notification never opens another website.
function sameOriginPath(url) {
  if (typeof url !== "string" || !url.startsWith("/") || url.startsWith("//")) return "/notifications";
  return url;
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(sameOriginPath(event.notification.data && event.notification.data.url), self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === target && "focus" in client) return client.focus();
      }
      for (const client of windows) {
        if ("navigate" in client) return client.navigate(target).then((c) => c && c.focus());
      }
      return self.clients.openWindow(target);
    })
  );
});
