// The gate's memory on the device (IndexedDB): offline bundles, the queue of scans decided
// offline, and this device's own admissions. It survives reloads, closed tabs and restarts.

const DB_NAME = "lvjian-gate";
const DB_VERSION = 1;
let opening = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore("bundles", { keyPath: "expoId" });
        const scans = db.createObjectStore("scans", { keyPath: "nonce" });
        scans.createIndex("expoId", "expoId");
        scans.createIndex("state", "state");
        db.createObjectStore("admissions", { keyPath: ["expoId", "ticketId"] });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => { opening = null; reject(request.error); };
      request.onblocked = () => reject(new Error("indexeddb blocked"));
    });
  }
  return opening;
}

// One transaction; resolves when it has committed (so a queued scan is really on disk).
async function tx(stores, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(stores, mode, { durability: "strict" });
    let result;
    Promise.resolve(work(t)).then((value) => { result = value; }, reject);
    t.oncomplete = () => resolve(result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new Error("aborted"));
  });
}

// ---- bundles ---------------------------------------------------------------------------

// The server's bundle → what we keep: compact rows, and Maps when in use.
function fromServer(expoId, body, previous) {
  const tickets = new Map(previous && !body.full ? previous.tickets : []);
  const refused = new Map(previous && !body.full ? previous.refused : []);
  for (const t of body.tickets) {
    tickets.set(t.id, { secret: t.secret, status: t.status, admitted: Boolean(t.admitted) });
    refused.delete(t.id);
  }
  for (const r of body.refused || body.revoked.map((id) => ({ id, result: "revoked" }))) {
    refused.set(r.id, r.result);
    tickets.delete(r.id);
  }
  return {
    expoId,
    expo: body.expo,
    public_key: body.public_key,
    version: body.version,
    admissions_until: body.admissions_until,
    labels: body.labels,
    tickets,
    refused,
    refreshedAt: Date.now(),
    downloadedAt: body.full ? Date.now() : previous.downloadedAt,
  };
}

function toRecord(bundle) {
  return {
    ...bundle,
    tickets: [...bundle.tickets].map(([id, t]) => [id, t.secret, t.status, t.admitted ? 1 : 0]),
    refused: [...bundle.refused],
  };
}

function fromRecord(record) {
  if (!record) return null;
  return {
    ...record,
    tickets: new Map(record.tickets.map(([id, secret, status, admitted]) =>
      [id, { secret, status, admitted: Boolean(admitted) }])),
    refused: new Map(record.refused),
  };
}

export async function loadBundle(expoId) {
  return fromRecord(await tx(["bundles"], "readonly",
    (t) => promised(t.objectStore("bundles").get(expoId))));
}

export async function saveBundle(expoId, body, previous = null) {
  const bundle = fromServer(expoId, body, previous);
  await tx(["bundles"], "readwrite", (t) => { t.objectStore("bundles").put(toRecord(bundle)); });
  return bundle;
}

export async function listBundles() {
  const records = await tx(["bundles"], "readonly", (t) => promised(t.objectStore("bundles").getAll()));
  return records.map((r) => ({ expoId: r.expoId, expo: r.expo, refreshedAt: r.refreshedAt,
    tickets: r.tickets.length }));
}

// ---- admissions by this device ---------------------------------------------------------

export async function earlierAdmission(expoId, ticketId) {
  return tx(["admissions"], "readonly",
    (t) => promised(t.objectStore("admissions").get([expoId, ticketId])));
}

export async function rememberAdmission(expoId, ticketId, at, by) {
  await tx(["admissions"], "readwrite", async (t) => {
    const store = t.objectStore("admissions");
    const known = await promised(store.get([expoId, ticketId]));
    if (!known || new Date(at) < new Date(known.at)) store.put({ expoId, ticketId, at, by });
  });
}

// ---- the queue of offline scans --------------------------------------------------------

// An offline decision and its scan, stored together in one transaction.
export async function queueScan(scan, admission = null) {
  await tx(["scans", "admissions"], "readwrite", (t) => {
    t.objectStore("scans").put({ ...scan, state: "pending" });
    if (admission) t.objectStore("admissions").put(admission);
  });
}

export async function scansOf(expoId, limit = 50) {
  const all = await tx(["scans"], "readonly",
    (t) => promised(t.objectStore("scans").index("expoId").getAll(expoId)));
  return all.sort((a, b) => b.created - a.created).slice(0, limit);
}

export async function pendingScans() {
  const all = await tx(["scans"], "readonly",
    (t) => promised(t.objectStore("scans").index("state").getAll("pending")));
  return all.sort((a, b) => a.created - b.created);
}

export async function settleScans(updates) {
  await tx(["scans"], "readwrite", async (t) => {
    const store = t.objectStore("scans");
    for (const { nonce, ...change } of updates) {
      const scan = await promised(store.get(nonce));
      if (scan) store.put({ ...scan, ...change });
    }
  });
}
