// The gate app's service worker: keeps the app shell and every file it loads, so the gate
// opens with no network. The API is never cached here: answers come from the server or, in
// the page, from the offline bundle in IndexedDB.

const CACHE = "lvjian-gate-v1";
const SHELL = "/console/gate/";
const SHELL_WAIT_MS = 3000;
// Loaded by URL rather than through the shell's import map (workers, lazy fallbacks, icons).
const EXTRA = [
  "/console/gate/manifest.webmanifest",
  "/assets/shared/scanner.js",
  "/assets/shared/qr-worker.js",
  "/assets/vendor/console/jsqr/jsQR.js",
  "/assets/vendor/console/noble-ed25519/index.js",
  "/assets/console/gate/icon-192.png",
  "/assets/console/gate/icon-512.png",
  "/assets/console/gate/icon-maskable-512.png",
];

// Every /assets/ URL the shell names: styles, scripts and the import map's modules.
function assetsOf(html) {
  const urls = new Set();
  for (const match of html.matchAll(/["'](\/assets\/[^"'\s]+)["']/g)) urls.add(match[1].replace(/\\\//g, "/"));
  return [...urls];
}

async function cacheShell(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  const wanted = new Set([...assetsOf(html), ...EXTRA]);
  await Promise.all([...wanted].map(async (url) => {
    if (await cache.match(url)) return;
    try {
      const answer = await fetch(url, { cache: "no-cache" });
      if (answer.ok) await cache.put(url, answer);
    } catch { /* fetched again next time */ }
  }));
  await cache.put(SHELL, response);
  // Versions the new shell no longer names are dropped.
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/assets/") && url.search && !wanted.has(url.pathname + url.search)) {
      await cache.delete(request);
    }
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const response = await fetch(SHELL, { cache: "no-cache" });
    if (response.ok) await cacheShell(response);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("lvjian-gate-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// Every page of the app is the same shell: the network's if it answers soon, else ours.
async function shell(event) {
  const cache = await caches.open(CACHE);
  const network = fetch(SHELL, { cache: "no-cache" }).then((response) => {
    if (response.ok) event.waitUntil(cacheShell(response.clone()));
    return response;
  }).catch(() => null);
  const cached = await cache.match(SHELL);
  if (!cached) return (await network) || Response.error();
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), SHELL_WAIT_MS));
  const fresh = await Promise.race([network, timeout]);
  return fresh && fresh.ok ? fresh : cached;
}

// Versioned files never change: ours first. Unversioned ones: ours now, refreshed behind.
async function asset(event) {
  const cache = await caches.open(CACHE);
  const request = event.request;
  const cached = await cache.match(request);
  const versioned = new URL(request.url).searchParams.has("v");
  const network = fetch(request).then(async (response) => {
    if (response.ok) await cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    if (!versioned) event.waitUntil(network.catch(() => {}));
    return cached;
  }
  return network;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith("/console/gate")) {
    event.respondWith(shell(event));
  } else if (url.pathname.startsWith("/assets/") || url.pathname === "/console/gate/manifest.webmanifest") {
    event.respondWith(asset(event));
  }
});
