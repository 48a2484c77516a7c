// Hamkke's service worker (issue 14): installable app, and a page that says "no connection" instead
// of the browser's error when a worker moves between pages without signal.
//
// Privacy first: it caches ONLY Hamkke's own static files (styles, scripts, icons, the offline page)
// — never a page, a fragment, an API answer or anything about a case or a person. Visit notes typed
// offline are kept by offline.js in IndexedDB, not here. Served from the site root (WhiteNoise's
// WHITENOISE_ROOT) so that its scope is the whole site.
"use strict";
const CACHE = "hamkke-static-v1";
const STATIC = "/static/";
const OFFLINE_PAGE = `${STATIC}hamkke/offline.html`;
const PRECACHE = [
  OFFLINE_PAGE,
  `${STATIC}hamkke/hamkke.css`,
  `${STATIC}hamkke/offline.js`,
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // writes always go to the server
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages are never cached: online they come from the server; offline the neutral page answers.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_PAGE)));
    return;
  }
  if (url.pathname.startsWith(STATIC)) {
    // Static files: the network first (a new release shows at once), the cached copy without signal.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request)),
    );
  }
});
