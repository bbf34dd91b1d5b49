// The officers' console's API client (/api/v1, its own token), the signed-in officer, and the
// helpers every console shares (static/shared/console.js).

import { ApiError, chinaTime, createClient, yuan } from "/assets/shared/api.js";
import { errorText, listHelpers, saveFile } from "/assets/shared/console.js";

export { ApiError, chinaTime, yuan };
export { chinaDay, chinaLocal, daysFromNow, errorText, localToIso, toFen, toYuanText, toast } from "/assets/shared/console.js";

export const api = createClient({ base: "/api/v1", tokenKey: "lvjian.admin.token" });
export const { all, pagedList } = listHelpers(api);

// Who is signed in (an admin, scoped to `session.user.region_code`); main.js fills it.
export const session = Vue.reactive({ user: null, ready: false, notice: "" });

// A file the API answers (CSV, Excel, PNG), fetched with the token and saved as `filename`.
export async function download(path, params, filename) {
  saveFile(await api.blob(path, params), filename);
}

export async function loadSession() {
  let user = null;
  let notice = "";
  if (api.token.get()) {
    try {
      const me = await api.get("/me");
      if (me.role === "admin") user = me;
      else {
        api.token.clear();
        notice = "该账号不是主管部门账号，请使用主管部门账号登录";
      }
    } catch (error) {
      if (error.status === 401) api.token.clear();
      else notice = errorText(error);
    }
  }
  Object.assign(session, { user, notice, ready: true });
}

export async function logout() {
  try { await api.post("/auth/logout"); } catch { /* the token is dropped anyway */ }
  api.token.clear();
  session.user = null;
}
