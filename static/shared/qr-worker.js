// Decodes QR codes off the main thread with the vendored jsQR (for browsers without
// BarcodeDetector). Message in: {width, height, data: ArrayBuffer of RGBA}; out: text or null.
/* global jsQR */
importScripts("/assets/vendor/console/jsqr/jsQR.js");

self.onmessage = (event) => {
  const { width, height, data } = event.data;
  let text = null;
  try {
    const found = jsQR(new Uint8ClampedArray(data), width, height, { inversionAttempts: "dontInvert" });
    text = found ? found.data : null;
  } catch {
    text = null;
  }
  self.postMessage(text);
};
