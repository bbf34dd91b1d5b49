// Reading QR codes and scanner input: the gate, the merchant's till, the storefront's certificate check.
//
// Three ways a code arrives, one callback for all of them: onCode(text, { source }) where
// source is "camera", "wedge" or "typed".
//
//   import { startCamera, listenWedge, cleanCode } from "/assets/shared/scanner.js";
//
//   const camera = await startCamera(videoElement, (text, meta) => ..., { repeatMs: 3000 });
//   camera.engine    // "BarcodeDetector" (the browser's own) or "jsQR" (vendored fallback)
//   camera.pause() / camera.resume()   // stop reporting while an answer is on screen;
//                                      // resume() forgets the last code, so the same QR
//                                      // held up again is reported again
//   camera.stop()    // releases the camera
//
//   const stop = listenWedge((text, meta) => ..., { minLength: 6, maxGapMs: 80 });
//     // a keyboard-wedge (USB/Bluetooth HID) scanner "types" a code fast and ends with Enter;
//     // keystrokes into an input or textarea are left to that field (its form submits)
//
//   const detach = attachTyped(inputElement, (text, meta) => ...);
//     // a typed (or pasted) code: reported on Enter, then the field is cleared
//
//   cleanCode(text)  // trims whitespace and control characters a scanner may add
//
// startCamera throws a CameraError whose .friendly is a Chinese sentence for the user
// (no camera, permission refused, insecure page, ...).

const WORKER_URL = "/assets/shared/qr-worker.js";

export class CameraError extends Error {
  constructor(code, friendly) {
    super(friendly);
    this.code = code;
    this.friendly = friendly;
  }
}

export function cleanCode(text) {
  // eslint-disable-next-line no-control-regex
  return String(text || "").replace(/[\u0000-\u001f\u007f]/g, "").trim();
}

export function cameraAvailable() {
  return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

async function nativeDetector() {
  if (!("BarcodeDetector" in globalThis)) return null;
  try {
    const formats = await globalThis.BarcodeDetector.getSupportedFormats();
    if (!formats.includes("qr_code")) return null;
    return new globalThis.BarcodeDetector({ formats: ["qr_code"] });
  } catch {
    return null;
  }
}

// jsQR runs in a worker, so a cheap phone's screen stays responsive while it decodes.
function workerDecoder() {
  const worker = new Worker(WORKER_URL);
  let pending = null;
  worker.onmessage = (event) => {
    const resolve = pending;
    pending = null;
    if (resolve) resolve(event.data);
  };
  worker.onerror = () => {
    const resolve = pending;
    pending = null;
    if (resolve) resolve(null);
  };
  return {
    decode(image) {
      return new Promise((resolve) => {
        pending = resolve;
        worker.postMessage({ width: image.width, height: image.height, data: image.data.buffer },
          [image.data.buffer]);
      });
    },
    close: () => worker.terminate(),
  };
}

function cameraFailure(error) {
  const name = error && error.name;
  if (!window.isSecureContext) {
    return new CameraError("insecure", "摄像头只能在 https 页面中使用，请改用扫码枪或手动输入");
  }
  if (name === "NotAllowedError" || name === "SecurityError") {
    return new CameraError("denied", "没有摄像头权限：请在浏览器设置中允许本网站使用摄像头");
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") {
    return new CameraError("missing", "没有找到可用的摄像头，请改用扫码枪或手动输入");
  }
  if (name === "NotReadableError") {
    return new CameraError("busy", "摄像头正被其他应用占用，请关闭后重试");
  }
  return new CameraError("failed", "摄像头打开失败，请改用扫码枪或手动输入");
}

/**
 * Open the back camera into `video` and report every QR code it sees.
 * Options: repeatMs (the same code is not reported again within this time, default 2500),
 * intervalMs (time between decode attempts, default 120), maxSide (frames are scaled down to
 * this many pixels on the long side before jsQR, default 720).
 */
export async function startCamera(video, onCode, { repeatMs = 2500, intervalMs = 120,
  maxSide = 720 } = {}) {
  if (!cameraAvailable()) throw cameraFailure(null);
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (error) {
    throw cameraFailure(error);
  }
  video.setAttribute("playsinline", "");
  video.muted = true;
  video.srcObject = stream;
  try { await video.play(); } catch { /* autoplay of a muted stream: the frames still come */ }

  const detector = await nativeDetector();
  const decoder = detector ? null : workerDecoder();
  const canvas = detector ? null : document.createElement("canvas");
  const context = canvas ? canvas.getContext("2d", { willReadFrequently: true }) : null;

  let stopped = false;
  let paused = false;
  let last = { text: "", at: 0 };
  let timer = null;

  async function readFrame() {
    if (video.readyState < 2 || !video.videoWidth) return null;
    if (detector) {
      const found = await detector.detect(video);
      return found.length ? found[0].rawValue : null;
    }
    const scale = Math.min(1, maxSide / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    return decoder.decode(context.getImageData(0, 0, canvas.width, canvas.height));
  }

  async function tick() {
    if (stopped) return;
    if (!paused) {
      let text = null;
      try { text = await readFrame(); } catch { text = null; }
      text = text && cleanCode(text);
      const now = performance.now();
      if (text && !paused && !stopped && (text !== last.text || now - last.at > repeatMs)) {
        last = { text, at: now };
        try { onCode(text, { source: "camera", at: now }); } catch (error) { console.error(error); }
      }
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  }
  timer = setTimeout(tick, 0);

  return {
    engine: detector ? "BarcodeDetector" : "jsQR",
    pause() { paused = true; },
    resume() { paused = false; last = { text: "", at: 0 }; },
    stop() {
      stopped = true;
      clearTimeout(timer);
      stream.getTracks().forEach((track) => track.stop());
      video.srcObject = null;
      if (decoder) decoder.close();
    },
  };
}

function editable(target) {
  if (!target || !(target instanceof Element)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * Listen for a keyboard-wedge scanner: at least `minLength` characters typed with no more
 * than `maxGapMs` between keys, then Enter (or Tab). People do not type that fast, so hand
 * typing outside an input field is ignored. Returns a function that stops listening.
 */
export function listenWedge(onCode, { minLength = 6, maxGapMs = 80, target = window } = {}) {
  let buffer = "";
  let started = 0;
  let lastKey = 0;
  function onKey(event) {
    if (editable(event.target) || event.ctrlKey || event.altKey || event.metaKey) return;
    const now = performance.now();
    if (now - lastKey > maxGapMs) { buffer = ""; started = now; }
    lastKey = now;
    if (event.key === "Enter" || event.key === "Tab") {
      const text = cleanCode(buffer);
      buffer = "";
      if (text.length >= minLength) {
        event.preventDefault();
        onCode(text, { source: "wedge", at: now, typingMs: now - started });
      }
      return;
    }
    if (event.key.length === 1) buffer += event.key;
  }
  target.addEventListener("keydown", onKey, true);
  return () => target.removeEventListener("keydown", onKey, true);
}

/**
 * A code typed (or pasted, or sent by a scanner gun while the field has focus) into `input`:
 * reported on Enter, then the field is emptied. Returns a function that detaches.
 */
export function attachTyped(input, onCode, { minLength = 1 } = {}) {
  function onKey(event) {
    if (event.key !== "Enter") return;
    const text = cleanCode(input.value);
    if (text.length < minLength) return;
    event.preventDefault();
    input.value = "";
    input.dispatchEvent(new Event("input", { bubbles: true })); // v-model sees the change
    onCode(text, { source: "typed", at: performance.now() });
  }
  input.addEventListener("keydown", onKey);
  return () => input.removeEventListener("keydown", onKey);
}
