// The console's API client (/api/v1, its own token), the signed-in merchant, and the small
// helpers every page shares: error text, yuan <-> fen, China-time inputs.

import { ApiError, chinaTime, createClient, yuan } from "/assets/shared/api.js";

export { ApiError, chinaTime, yuan };

export const api = createClient({ base: "/api/v1", tokenKey: "lvjian.console.token" });

// Who is signed in and their shop; main.js fills it, pages read it.
export const session = Vue.reactive({ user: null, shop: null, ready: false });

export const isOwner = () => session.user && session.user.role === "merchant_owner";

// A product photo: the console endpoint takes the multipart field `image`.
export function uploadProductImage(productId, file) {
  return api.upload(file, file.name || "photo.jpg", `/merchant/products/${productId}/images`, "image");
}

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

// Every item of a paged list (bounded by `max`), for pickers such as "which product".
export async function all(path, params = {}, max = 500) {
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
// `params()` gives the current filters; `get` fetches a page (by default from the console API).
export function pagedList(path, { params = () => ({}), get = api.get, failed = null } = {}) {
  const items = Vue.ref([]);
  const cursor = Vue.ref(null);
  const loading = Vue.ref(false);
  const error = Vue.ref("");
  async function load(more = false) {
    loading.value = true;
    try {
      const page = await get(path, { ...params(), cursor: more ? cursor.value : null });
      items.value = more ? [...items.value, ...page.items] : page.items;
      cursor.value = page.next_cursor;
      error.value = "";
    } catch (e) {
      error.value = failed || errorText(e);
    } finally {
      loading.value = false;
    }
  }
  return { items, cursor, loading, error, load };
}

const MERCHANT_ROLES = ["merchant_owner", "merchant_staff"];

// Who is signed in (GET /me) and their shop (none yet: 404 until they apply for one). The
// session changes in one step at the end, so the router never sees a half-loaded one.
export async function loadSession() {
  let user = null;
  let shop = null;
  let notice = "";
  if (api.token.get()) {
    try {
      const me = await api.get("/me");
      if (MERCHANT_ROLES.includes(me.role)) {
        user = me;
        try {
          shop = await api.get("/merchant/shop");
        } catch (error) {
          if (error.status !== 404) throw error;
        }
      } else {
        api.token.clear();
        notice = "该账号不是商家账号，请使用商家账号登录";
      }
    } catch (error) {
      if (error.status === 401) api.token.clear();
      else notice = errorText(error);
      user = error.status === 401 ? null : user;
    }
  }
  Object.assign(session, { user, shop, notice, ready: true });
}

export async function logout() {
  try { await api.post("/auth/logout"); } catch { /* the token is dropped anyway */ }
  api.token.clear();
  session.user = null;
  session.shop = null;
}
