/* Overdose help without a connection (issue 17). This service worker, served at /help/offline-sw.js and so
   limited to /help/, keeps exactly two pages and what they need: the overdose steps and the Good Samaritan note,
   fetched without cookies so no copy holds anything personal (no name, no notifications). Every other request
   goes to the network untouched, and nothing else is ever stored. */
"use strict";
var CACHE = "overdose-help-{{ version }}";
var PAGES = {{ pages|safe }};
var ASSETS = {{ assets|safe }};

function anonymous(url) { return new Request(url, { credentials: "omit", cache: "no-store" }); }

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(PAGES.concat(ASSETS).map(anonymous));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("overdose-help-") === 0 && name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (PAGES.indexOf(url.pathname) !== -1) {
    // The network first (it has the reader's own header and the latest alerts), renewing the kept anonymous
    // copy in the background; the kept copy when the network fails.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.add(anonymous(url.pathname)); }).catch(function () {}));
      }
      return response;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) { return cache.match(url.pathname); })
        .then(function (kept) { return kept || Response.error(); });
    }));
  } else if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(url.pathname).then(function (kept) { return kept || fetch(request); });
    }));
  }
});
