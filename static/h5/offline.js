// The service worker's page side: registers /h5/sw.js, tells it which files this page runs on
// (a first visit is not yet controlled), and knows when shown data is an offline copy.

const PERSONAL_CACHE = "lvjian-h5-personal-v1";
const sw = "serviceWorker" in navigator ? navigator.serviceWorker : null;

export const offline = Vue.reactive({
  online: navigator.onLine,
  copy: false, // some data on screen came from the saved copy, not the network
  savedAt: "", // the Date header of that copy
});

window.addEventListener("online", () => { offline.online = true; });
window.addEventListener("offline", () => { offline.online = false; });

let controlled;
// Resolves once the service worker controls this page (at once on a repeat visit).
export function whenControlled() {
  if (!sw) return new Promise(() => {});
  if (sw.controller) return Promise.resolve();
  controlled = controlled || new Promise((resolve) => {
    sw.addEventListener("controllerchange", () => resolve(), { once: true });
  });
  return controlled;
}

export const isControlled = () => Boolean(sw && sw.controller);

// Forget the personal data the worker keeps for offline use (log out, another villager).
export async function forgetPersonal() {
  offline.copy = false;
  if (globalThis.caches) await caches.delete(PERSONAL_CACHE).catch(() => {});
}

if (sw) {
  sw.addEventListener("message", (event) => {
    if (event.data && event.data.type === "offline-copy") {
      offline.copy = true;
      offline.savedAt = event.data.savedAt || offline.savedAt;
    }
  });
  window.addEventListener("load", () => {
    sw.register("/h5/sw.js", { scope: "/h5/" }).catch(() => { /* no offline copy, still works */ });
  });
  const firstVisit = !sw.controller;
  whenControlled().then(() => {
    if (!firstVisit) return;
    // This page's files came before the worker: have it keep them for the next offline start.
    const urls = performance.getEntriesByType("resource").map((e) => e.name)
      .filter((u) => new URL(u).pathname.startsWith("/assets/"));
    sw.controller.postMessage({ type: "warm", urls: [location.pathname, ...urls] });
  });
}
