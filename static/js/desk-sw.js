// The desk's service worker (scope /desk/): the desk page and its assets load without the
// network once they were opened. Pages and assets: network first, the last copy when offline.
// Nothing else is cached (live counts, snapshot, scans go to the network or fail).
"use strict";
var CACHE = "summit-desk-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("summit-desk-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function cacheable(request, url) {
  if (request.method !== "GET" || url.origin !== self.location.origin) { return false; }
  if (url.pathname.indexOf("/static/") === 0) { return true; }
  return request.mode === "navigate" && url.pathname.indexOf("/desk/") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (!cacheable(request, url)) { return; }
  // A page is cached without its query (?q= search): offline, the desk page answers for all.
  var key = request.mode === "navigate" ? url.origin + url.pathname : request;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(key).then(function (hit) { return hit || Response.error(); });
  }));
});
