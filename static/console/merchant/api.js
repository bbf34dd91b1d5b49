// The console's API client (/api/v1, its own token), the signed-in merchant, and the small
// helpers every page shares: error text, yuan <-> fen, China-time inputs.

import { ApiError, chinaTime, createClient, yuan } from "/assets/shared/api.js";
import { errorText, listHelpers } from "/assets/shared/console.js";

export { ApiError, chinaTime, yuan };
export { chinaLocal, daysFromNow, errorText, localToIso, toFen, toYuanText, toast } from "/assets/shared/console.js";

export const api = createClient({ base: "/api/v1", tokenKey: "lvjian.console.token" });
export const { all, pagedList } = listHelpers(api);

// Who is signed in and their shop; main.js fills it, pages read it.
export const session = Vue.reactive({ user: null, shop: null, ready: false });

export const isOwner = () => session.user && session.user.role === "merchant_owner";

// A product photo: the console endpoint takes the multipart field `image`.
export function uploadProductImage(productId, file) {
  return api.upload(file, file.name || "photo.jpg", `/merchant/products/${productId}/images`, "image");
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
