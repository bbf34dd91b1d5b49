// The sound (and buzz) of an answer, so the gate keeper need not read the screen:
// one high beep to admit, two middle beeps for "already in", a long low tone to refuse.

let context = null;

// Browsers start audio only after a tap: call this from the first click (login, 进入验票).
export function unlockAudio() {
  try {
    if (!context) context = new (window.AudioContext || window.webkitAudioContext)();
    if (context.state === "suspended") context.resume();
  } catch { /* no audio on this device */ }
}

function tone(frequency, start, duration, type = "sine") {
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = type;
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, context.currentTime + start);
  gain.gain.exponentialRampToValueAtTime(0.4, context.currentTime + start + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, context.currentTime + start + duration);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(context.currentTime + start);
  oscillator.stop(context.currentTime + start + duration + 0.02);
}

export function signal(kind) {
  if (navigator.vibrate) {
    try { navigator.vibrate(kind === "ok" ? 80 : kind === "warn" ? [80, 60, 80] : [300]); } catch { /* ignore */ }
  }
  if (!context) return;
  try {
    if (kind === "ok") tone(1320, 0, 0.15);
    else if (kind === "warn") { tone(880, 0, 0.12); tone(880, 0.18, 0.12); }
    else tone(220, 0, 0.5, "square");
  } catch { /* ignore */ }
}
