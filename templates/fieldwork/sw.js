{% autoescape off %}/* The portal's service worker (fieldwork/offline.py renders it at /sw.js).
   It keeps what the officer's visit form needs on the phone so that the form opens with no
   signal; the visits themselves wait in the page's queue (fieldwork/visit-queue.js).
   - the form's assets: kept at install (cache-first);
   - the visit form and the officer's home: network first, the kept copy when offline;
   - the sign-in page: the kept pages are dropped (another officer may sign in next). */
"use strict";

var VERSION = "{{ version }}";
var ASSETS_CACHE = "jk-assets-" + VERSION;
var PAGES_CACHE = "jk-pages";
var ASSETS = {{ assets_json }};
var KEPT_PAGES = /^\/fieldwork\/(enterprises\/[0-9]+\/visits\/new\/)?$/;
var SIGN_IN = /^\/accounts\/(login|logout)\//;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(ASSETS_CACHE).then(function (cache) { return cache.addAll(ASSETS); }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("jk-assets-") === 0 && name !== ASSETS_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function keptPage(request) {
  return caches.open(PAGES_CACHE).then(function (cache) {
    return cache.match(request, { ignoreSearch: true });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && SIGN_IN.test(url.pathname)) {
    event.respondWith(caches.delete(PAGES_CACHE).then(function () { return fetch(request); }));
    return;
  }
  if (request.mode === "navigate" && KEPT_PAGES.test(url.pathname)) {
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok && !response.redirected) {
          var copy = response.clone();
          caches.open(PAGES_CACHE).then(function (cache) { cache.put(url.pathname, copy); });
        }
        return response;
      }).catch(function () {
        return keptPage(url.pathname).then(function (kept) { return kept || Response.error(); });
      })
    );
    return;
  }
  if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(
      caches.match(request).then(function (kept) { return kept || fetch(request); })
    );
  }
});
{% endautoescape %}
