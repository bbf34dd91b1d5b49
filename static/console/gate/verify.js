// Deciding a scan with no server: the ticket code's Ed25519 signature, the bundle's
// revocations and this device's own earlier admissions (app/expos/codes.py is the format).

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const INDEX = new Map([...ALPHABET].map((c, i) => [c, i]));
const HEADER = 15; // version (1) | expo id (4) | ticket id (4) | random (6)
const VERSION = 1;
const NOBLE_URL = "/assets/vendor/console/noble-ed25519/index.js";

// Base45 (RFC 9285), as app/core/base45.py; null when the text is not base45.
export function b45decode(text) {
  const out = [];
  for (let i = 0; i < text.length; i += 3) {
    const chunk = [];
    for (const c of text.slice(i, i + 3)) {
      const value = INDEX.get(c);
      if (value === undefined) return null;
      chunk.push(value);
    }
    if (chunk.length === 3) {
      const n = chunk[0] + chunk[1] * 45 + chunk[2] * 2025;
      if (n > 0xffff) return null;
      out.push(n >> 8, n & 0xff);
    } else if (chunk.length === 2) {
      const n = chunk[0] + chunk[1] * 45;
      if (n > 0xff) return null;
      out.push(n);
    } else {
      return null;
    }
  }
  return new Uint8Array(out);
}

const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

// What a code says, unverified; null if it is not even shaped like one of ours.
export function readClaim(code) {
  const raw = b45decode(String(code || "").trim().toUpperCase());
  if (!raw || raw.length !== HEADER + 64 || raw[0] !== VERSION) return null;
  const view = new DataView(raw.buffer);
  return {
    expoId: view.getUint32(1),
    ticketId: view.getUint32(5),
    secret: hex(raw.subarray(9, HEADER)),
    payload: raw.slice(0, HEADER),
    signature: raw.slice(HEADER),
  };
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

// WebCrypto's Ed25519 where the browser has it (Chromium does), else the vendored
// @noble/ed25519 (audited, pure JS); which one ran is kept for the screen and the tests.
const keys = new Map();
let webCryptoEd25519 = null; // unknown until tried
export const engine = { name: "" };

async function webCryptoVerify(publicKeyB64, payload, signature) {
  let key = keys.get(publicKeyB64);
  if (!key) {
    key = await crypto.subtle.importKey("raw", fromBase64(publicKeyB64), { name: "Ed25519" },
      false, ["verify"]);
    keys.set(publicKeyB64, key);
  }
  return crypto.subtle.verify({ name: "Ed25519" }, key, signature, payload);
}

let noble = null;
async function nobleVerify(publicKeyB64, payload, signature) {
  if (!noble) noble = await import(NOBLE_URL);
  try {
    // RFC 8032 strict (zip215: false), as the server's `cryptography` verifies.
    return await noble.verifyAsync(signature, payload, fromBase64(publicKeyB64), { zip215: false });
  } catch {
    return false;
  }
}

export async function verifySignature(publicKeyB64, payload, signature) {
  if (webCryptoEd25519 !== false && globalThis.crypto && crypto.subtle) {
    try {
      const ok = await webCryptoVerify(publicKeyB64, payload, signature);
      webCryptoEd25519 = true;
      engine.name = "WebCrypto";
      return ok;
    } catch (error) {
      // NotSupportedError (no Ed25519 here) → the library from now on; a bad key → refuse
      if (error && error.name === "DataError") return false;
      webCryptoEd25519 = false;
    }
  }
  engine.name = "noble-ed25519";
  return nobleVerify(publicKeyB64, payload, signature);
}

// Force the fallback (tests, and a browser whose WebCrypto misbehaves).
export function useLibraryOnly() {
  webCryptoEd25519 = false;
}

/**
 * The offline answer, as the server would give it (app/expos/gate.py: _judge and _admit).
 * `bundle` is the stored bundle (see store.js: expo, public_key, tickets Map, refused Map);
 * `earlier` is this device's own earlier admission of the ticket ({at, by}) if any.
 * Returns {result, ticketId?, firstAdmittedAt?, firstAdmittedBy?, note?}.
 */
export async function judgeOffline(bundle, code, { now = new Date(), earlier = null } = {}) {
  const claim = readClaim(code);
  if (!claim) return { result: "invalid" };
  if (claim.expoId !== bundle.expo.id) {
    // Other expos' keys are not on this device: shaped like ours is all we can tell.
    return { result: "wrong_expo" };
  }
  if (!(await verifySignature(bundle.public_key, claim.payload, claim.signature))) {
    return { result: "invalid", note: "签名不符，可能是伪造的票" };
  }
  const ticketId = claim.ticketId;
  const expo = bundle.expo;
  if (expo.status === "cancelled" && (!expo.cancelled_at || now >= new Date(expo.cancelled_at))) {
    return { result: "expo_cancelled", ticketId };
  }
  const refused = bundle.refused.get(ticketId);
  if (refused) return { result: refused === "revoked" ? "revoked" : "cancelled", ticketId };
  const ticket = bundle.tickets.get(ticketId);
  if (ticket && ticket.secret !== claim.secret) {
    return { result: "cancelled", ticketId, note: "旧票码（门票已重新出具）" };
  }
  if (ticket && ticket.status === "waitlisted") return { result: "waitlisted", ticketId };
  if (!["published", "cancelled"].includes(expo.status)
      || now < new Date(expo.gate_opens_at) || now > new Date(expo.ends_at)) {
    return { result: "not_open", ticketId };
  }
  if (earlier) {
    return { result: "already_admitted", ticketId, firstAdmittedAt: earlier.at,
      firstAdmittedBy: earlier.by || "本机" };
  }
  if (ticket && ticket.admitted) {
    return { result: "already_admitted", ticketId, firstAdmittedBy: "其他入口（服务器记录）" };
  }
  // A good signature on a ticket newer than the bundle: the signature is the proof.
  return { result: "admitted", ticketId, note: ticket ? "" : "新报名的票（离线数据中暂无），凭签名放行" };
}
