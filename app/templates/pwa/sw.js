/* The service worker. It keeps only the app shell (styles, script, icons, the offline
   page). Pages are always fetched from the network and never stored, because they can hold
   a young person's details. */
const SHELL_CACHE = "shell-{{ version }}";
const SHELL = {{ shell | tojson }};
const OFFLINE_URL = {{ offline | tojson }};

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
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

// After sign-out the page empties every cache; the shell (nothing personal) comes back.
self.addEventListener("message", (event) => {
  if (event.data === "recache-shell") {
    event.waitUntil(cacheShell());
  }
});
