// The storefront's service worker (scope /h5/). Township networks are weak and a villager
// must be able to show the expo ticket at the gate without one, so it keeps:
// - the app shell, network first, for every /h5/ page (all share one HTML shell);
// - the versioned /assets/ files (their URLs carry ?v=hash), cache first;
// - the villager's tickets and their QR codes, network first, the saved copy when offline.
// Logging out deletes the personal cache (offline.js).

const SHELL = "lvjian-h5-shell-v1";
const ASSETS = "lvjian-h5-assets-v1";
const PERSONAL = "lvjian-h5-personal-v1";
const SHELL_KEY = "/h5/";
const SHELL_WAIT_MS = 6000; // a slow network: the saved shell after this long
const PERSONAL_PATHS = [
  /^\/api\/mp\/v1\/me\/tickets$/,
  /^\/api\/mp\/v1\/tickets\/\d+$/,
  /^\/api\/mp\/v1\/tickets\/\d+\/qr\.svg$/,
];

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keep = [SHELL, ASSETS, PERSONAL];
    for (const name of await caches.keys()) {
      if (name.startsWith("lvjian-h5-") && !keep.includes(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith("/h5/")) {
    event.respondWith(shell(event));
  } else if (url.pathname.startsWith("/assets/") && url.searchParams.has("v")) {
    event.respondWith(asset(event));
  } else if (PERSONAL_PATHS.some((p) => p.test(url.pathname)) && request.headers.has("Authorization")) {
    event.respondWith(personal(event));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "warm" && Array.isArray(data.urls)) event.waitUntil(warm(data.urls));
  if (data.type === "forget") event.waitUntil(caches.delete(PERSONAL));
});

async function shell(event) {
  const cache = await caches.open(SHELL);
  const network = fetch(event.request).then((response) => {
    if (response.ok) cache.put(SHELL_KEY, response.clone());
    return response;
  });
  event.waitUntil(network.catch(() => {}));
  const saved = await cache.match(SHELL_KEY);
  if (!saved) return network;
  const slow = new Promise((resolve) => setTimeout(() => resolve(saved), SHELL_WAIT_MS));
  try {
    return await Promise.race([network, slow]);
  } catch {
    return saved; // offline: the last shell, whose assets are cached alongside it
  }
}

async function asset(event) {
  const cache = await caches.open(ASSETS);
  const saved = await cache.match(event.request, { ignoreVary: true });
  if (saved) return saved;
  const response = await fetch(event.request);
  if (response.ok) event.waitUntil(keepAsset(cache, event.request.url, response.clone()));
  return response;
}

// Keep one version of each file: a new ?v= replaces the old one.
async function keepAsset(cache, href, response) {
  const path = new URL(href).pathname;
  for (const old of await cache.keys()) {
    const oldUrl = new URL(old.url);
    if (oldUrl.pathname === path && old.url !== href) await cache.delete(old);
  }
  await cache.put(href, response);
}

async function personal(event) {
  const cache = await caches.open(PERSONAL);
  const key = event.request.url;
  try {
    const response = await fetch(event.request);
    if (response.ok) await cache.put(key, response.clone());
    else if (response.status === 401 || response.status === 403 || response.status === 404) {
      await cache.delete(key);
    }
    return response;
  } catch (error) {
    const saved = await cache.match(key, { ignoreVary: true });
    if (!saved) throw error;
    const client = event.clientId && await self.clients.get(event.clientId);
    if (client) client.postMessage({ type: "offline-copy", savedAt: saved.headers.get("Date") || "" });
    return saved;
  }
}

// A first visit ran before this worker controlled the page: fetch what it used (from the HTTP
// cache, mostly) so that the next start works offline.
async function warm(urls) {
  const assets = await caches.open(ASSETS);
  const shellCache = await caches.open(SHELL);
  await Promise.all(urls.map(async (href) => {
    try {
      const url = new URL(href, self.location.origin);
      if (url.origin !== self.location.origin) return;
      if (url.pathname.startsWith("/h5/")) {
        const response = await fetch(url.pathname, { credentials: "same-origin" });
        if (response.ok) await shellCache.put(SHELL_KEY, response);
      } else if (url.pathname.startsWith("/assets/") && url.searchParams.has("v")) {
        if (await assets.match(url.href, { ignoreVary: true })) return;
        const response = await fetch(url.href);
        if (response.ok) await keepAsset(assets, url.href, response);
      }
    } catch { /* offline now: the next visit tries again */ }
  }));
}
