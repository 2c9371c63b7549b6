// Chronicle's service worker: keeps the offline study page and its assets in a cache so the
// page opens without a network. It never touches the API (answers are sent by the page, from
// IndexedDB) and never caches any other page, so nothing private is kept beyond the study page.
"use strict";
// A new name whenever the page and its script change together (v2: the result beside the
// event's summary), so an old script never runs against a new page.
var CACHE = "chronicle-offline-v2";
var PAGE = "/study/offline";
var ASSETS = ["/static/style.css", "/static/app.js", "/static/offline.js"];
var ELSEWHERE = ["/", "/missed", "/stats", "/browse", "/timeline"];

// Only a real, signed-in copy of a page is kept: not a redirect to the login page, not an error.
function keepable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(
        ASSETS.concat([PAGE]).map(function (url) {
          return fetch(url, { credentials: "same-origin" }).then(function (response) {
            if (keepable(response)) return cache.put(url, response);
          });
        })
      );
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) {
        return caches.delete(k);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

// Network first, so an online learner always gets the current page; the cached copy when the
// network fails. The deck is in the query, so the cache ignores it (the page reads it again).
function pageFromNetworkOrCache(request) {
  return fetch(request).then(function (response) {
    if (keepable(response) && new URL(request.url).pathname === PAGE) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(PAGE, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(PAGE).then(function (cached) {
      return cached || new Response("You are offline and this page was not saved for offline use.", {
        status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
  if (request.mode === "navigate") {
    // The study pages: offline, any of them opens the offline study page. So do the learner's
    // other pages, which say they need the network (they are never cached: only the study
    // page is kept), instead of the browser's "No internet" page.
    if (url.pathname === PAGE || url.pathname.indexOf("/study") === 0 || ELSEWHERE.indexOf(url.pathname) >= 0) {
      event.respondWith(pageFromNetworkOrCache(request));
    }
    return;
  }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    // Cached copy at once, refreshed in the background for next time.
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(url.pathname).then(function (cached) {
        var fresh = fetch(request).then(function (response) {
          if (keepable(response)) cache.put(url.pathname, response.clone());
          return response;
        }).catch(function () { return cached || Response.error(); });
        return cached || fresh;
      });
    }));
  }
});
