// Talking to the server from the gate: the online scan with its deadline, the offline
// bundle and its deltas, live counts, and uploading the queue of offline scans.

import { createClient } from "/assets/shared/api.js";
import * as store from "/assets/console/gate/store.js";

export const api = createClient({ base: "/api/v1", tokenKey: "lvjian.console.token" });

// A scan with no answer from the server in this time is decided offline (the issue's ~1.5 s).
// A gate on a slow but working uplink (satellite, weak 2G) may set a longer one on the device:
// localStorage["lvjian.gate.deadline_ms"].
export const ONLINE_DEADLINE_MS = 1500;

function deadline() {
  const set = Number(localStorage.getItem("lvjian.gate.deadline_ms"));
  return set >= 500 && set <= 30_000 ? set : ONLINE_DEADLINE_MS;
}
// After a scan found no server, the next ones within this time do not wait for it again
// (a queue of people at a gate with a dead uplink); the background refresh checks meanwhile.
const NO_SERVER_MS = 15_000;
const BATCH = 100;

export const network = Vue.reactive({
  // What the last request taught us; navigator.onLine only knows about the phone's radio.
  reachable: navigator.onLine,
  lastContact: 0,
  failedAt: 0,
  needsLogin: false,
});

function heard() {
  network.reachable = true;
  network.lastContact = Date.now();
}

function lost(error) {
  if (error && error.status === 401) network.needsLogin = true;
  if (!error || !error.status || error.status >= 500) unreachable();
}

function unreachable() {
  network.reachable = false;
  network.failedAt = Date.now();
}

window.addEventListener("offline", unreachable);
window.addEventListener("online", () => { network.failedAt = 0; });

/** The device's id, stable across reloads: the server records it with offline scans. */
export function deviceId() {
  let id = localStorage.getItem("lvjian.gate.device");
  if (!id) {
    id = `gate-${newNonce().slice(0, 18)}`;
    localStorage.setItem("lvjian.gate.device", id);
  }
  return id;
}

export function newNonce() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The server's answer to one scan, or null when none came in time (no network, a slow one,
 * a server error, an expired login): the caller then decides offline with the same nonce, so
 * if the request did get through, the upload later gets this same answer back.
 */
export async function checkinOnline(expoId, scan, deadlineMs = deadline()) {
  if (!navigator.onLine) return null;
  if (!network.reachable && Date.now() - network.failedAt < NO_SERVER_MS) return null;
  const token = api.token.get();
  if (!token) { network.needsLogin = true; return null; }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deadlineMs);
  try {
    const response = await fetch(`/api/v1/expos/${expoId}/checkins`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json",
        Authorization: `Bearer ${token}` },
      body: JSON.stringify({ code: scan.code, nonce: scan.nonce, scanned_at: scan.scanned_at,
        device_id: scan.device_id }),
      signal: controller.signal,
    });
    if (!response.ok) {
      heard(); // the server is there, but gave no answer to this scan
      if (response.status === 401) { api.token.clear(); network.needsLogin = true; }
      if (response.status >= 500) unreachable();
      return null;
    }
    const body = await response.json();
    heard();
    network.needsLogin = false;
    return body;
  } catch {
    unreachable();
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Download the expo's bundle (a delta when we hold one) and keep it in IndexedDB. */
export async function refreshBundle(expoId, previous = null) {
  const params = previous ? { since: previous.version, admitted_after: previous.admissions_until } : {};
  try {
    const response = await api.get(`/expos/${expoId}/offline-bundle`, params);
    heard();
    return await store.saveBundle(expoId, response, previous);
  } catch (error) {
    lost(error);
    throw error;
  }
}

export async function attendance(expoId) {
  try {
    const counts = await api.get(`/expos/${expoId}/attendance`);
    heard();
    return counts;
  } catch (error) {
    lost(error);
    throw error;
  }
}

let uploading = null;

/**
 * Send every queued offline scan (all expos, oldest first, in batches) and keep the
 * server's answer beside each. Nonces make a repeated upload harmless. Returns the number
 * settled; an error stops the round (the rest stay queued for the next one).
 */
export function uploadQueue() {
  if (!uploading) {
    uploading = (async () => {
      let settled = 0;
      const pending = await store.pendingScans();
      const byExpo = new Map();
      for (const scan of pending) {
        if (!byExpo.has(scan.expoId)) byExpo.set(scan.expoId, []);
        byExpo.get(scan.expoId).push(scan);
      }
      for (const [expoId, scans] of byExpo) {
        for (let i = 0; i < scans.length; i += BATCH) {
          const batch = scans.slice(i, i + BATCH);
          let answer;
          try {
            answer = await api.post(`/expos/${expoId}/checkins/batch`, {
              scans: batch.map((s) => ({ code: s.code, nonce: s.nonce, scanned_at: s.scanned_at,
                device_id: s.device_id })),
            });
            heard();
          } catch (error) {
            lost(error);
            // Not this login's expo: keep them for the staff who can upload them.
            if (error.status === 403) break;
            if (error.status === 404 || error.status === 422) {
              // Never going to be accepted as it is: keep the scans, say why, stop retrying.
              await store.settleScans(batch.map((s) => ({ nonce: s.nonce, state: "rejected",
                error: error.friendly })));
              continue;
            }
            throw error;
          }
          const results = new Map(answer.results.map((r) => [r.nonce, r]));
          await store.settleScans(batch.map((s) => ({ nonce: s.nonce, state: "synced",
            syncedAt: Date.now(), server: results.get(s.nonce) || null })));
          settled += batch.length;
        }
      }
      return settled;
    })().finally(() => { uploading = null; });
  }
  return uploading;
}
