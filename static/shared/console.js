// What every console (merchant, officers) shares beyond the API client: error text, toasts,
// yuan <-> fen, China-time inputs and cursor-paged lists.

import { ApiError } from "/assets/shared/api.js";

// One sentence for a person: the friendly message, then the field messages if any.
export function errorText(error) {
  if (!(error instanceof ApiError)) return "出了点问题，请稍后再试";
  const fields = error.body && error.body.errors;
  const details = [];
  if (fields && typeof fields === "object") {
    for (const messages of Object.values(fields)) {
      const list = Array.isArray(messages) ? messages : [messages];
      for (const m of list) if (typeof m === "string") details.push(m);
    }
  }
  return details.length ? `${error.friendly}：${details.join("；")}` : error.friendly;
}

export function toast(text, type = "success") {
  ElementPlus.ElMessage({ message: text, type, duration: 3000, showClose: true });
}

// "123.45" (yuan as typed) → 12345 fen, exactly; null when it is not an amount.
export function toFen(text) {
  const value = String(text ?? "").trim().replace(/^¥/, "");
  const found = value.match(/^(\d{1,9})(?:\.(\d{1,2}))?$/);
  if (!found) return null;
  return Number(found[1]) * 100 + Number((found[2] || "").padEnd(2, "0"));
}

export const toYuanText = (fen) => (fen === null || fen === undefined ? "" : (fen / 100).toFixed(2));

// <input type="datetime-local"> holds China wall time; the API wants ISO with +08:00.
export function localToIso(value) {
  return value ? `${value.length === 16 ? `${value}:00` : value}+08:00` : null;
}

export function chinaLocal(date = new Date()) {
  return date.toLocaleString("sv-SE", { timeZone: "Asia/Shanghai" }).replace(" ", "T").slice(0, 16);
}

export function daysFromNow(days) {
  return chinaLocal(new Date(Date.now() + days * 86400000));
}

// The list helpers bound to one console's client.
export function listHelpers(api) {
  // Every item of a paged list (bounded by `max`), for pickers such as "which product".
  async function all(path, params = {}, max = 500) {
    const items = [];
    let cursor = null;
    do {
      const page = await api.get(path, { ...params, limit: 100, cursor });
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor && items.length < max);
    return items;
  }

  // A list the API pages with a cursor: load() the first page, load(true) the next one.
  // `params()` gives the current filters; `get` fetches a page (by default from this client).
  function pagedList(path, { params = () => ({}), get = api.get, failed = null } = {}) {
    const items = Vue.ref([]);
    const cursor = Vue.ref(null);
    const loading = Vue.ref(false);
    const error = Vue.ref("");
    let latest = 0; // only the newest request's answer is shown (filters change mid-flight)
    async function load(more = false) {
      const mine = ++latest;
      loading.value = true;
      try {
        const page = await get(path, { ...params(), cursor: more ? cursor.value : null });
        if (mine !== latest) return;
        items.value = more ? [...items.value, ...page.items] : page.items;
        cursor.value = page.next_cursor;
        error.value = "";
      } catch (e) {
        if (mine === latest) error.value = failed || errorText(e);
      } finally {
        if (mine === latest) loading.value = false;
      }
    }
    return { items, cursor, loading, error, load };
  }

  return { all, pagedList };
}

// A Blob saved under a name, as the browser's own download.
export function saveFile(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Today in China, as 2026-12-01 (for file names and date filters).
export const chinaDay = (date = new Date()) => date.toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
