// The gate's few routes: login, my expos, one expo's gate; history API, no library.

export const route = Vue.reactive({ path: location.pathname });

export function go(path, { replace = false } = {}) {
  if (path !== location.pathname) history[replace ? "replaceState" : "pushState"](null, "", path);
  route.path = path;
  window.scrollTo(0, 0);
}

window.addEventListener("popstate", () => { route.path = location.pathname; });

// Who is logged in (the token itself lives with the API client).
const USER_KEY = "lvjian.gate.user";
export const session = Vue.reactive({ user: JSON.parse(localStorage.getItem(USER_KEY) || "null") });

export function setUser(user) {
  session.user = user;
  if (user) localStorage.setItem(USER_KEY, JSON.stringify(user));
  else localStorage.removeItem(USER_KEY);
}

// "3 分钟前" for the bundle's age and the counts' freshness.
export function ago(ms, now = Date.now()) {
  if (!ms) return "从未";
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 60) return "刚刚";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} 分钟前`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} 小时 ${minutes % 60} 分钟前`;
  return `${Math.floor(hours / 24)} 天前`;
}
