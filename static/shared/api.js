// The API client shared by every page: token, the error shape, Chinese messages, formatting.

const TOKEN_KEY = "lvjian.token";
const MP = "/api/mp/v1";

// A friendly Chinese sentence per stable `error` code; the server's `message` is the fallback.
const MESSAGES = {
  token_missing: "请先登录",
  token_invalid: "登录状态已失效，请重新登录",
  token_expired: "登录已过期，请重新登录",
  forbidden: "没有权限进行此操作",
  not_found: "没有找到相关内容",
  certificate_not_found: "查无此证书编号",
  validation_error: "填写的内容有误，请检查",
  rate_limited: "操作太频繁，请稍后再试",
  service_unavailable: "服务暂时繁忙，请稍后再试",
  expo_not_found: "没有找到这场展销会",
  expo_closed: "这场展销会报名已截止",
  expo_cancelled: "这场展销会已取消",
  coupon_sold_out: "优惠券已领完",
  network: "网络不给力，请检查网络后重试",
};

export class ApiError extends Error {
  constructor(status, body) {
    const code = (body && body.error) || (status ? `http_${status}` : "network");
    super((body && body.message) || MESSAGES[code] || "出了点问题，请稍后再试");
    this.status = status;
    this.code = code;
    this.body = body || {};
    this.friendly = MESSAGES[code] || this.message;
  }
}

export const token = {
  get: () => localStorage.getItem(TOKEN_KEY),
  set: (value) => localStorage.setItem(TOKEN_KEY, value),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

function headers(extra = {}) {
  const result = { Accept: "application/json", ...extra };
  const current = token.get();
  if (current) result.Authorization = `Bearer ${current}`;
  return result;
}

async function send(method, path, { body, params, raw } = {}) {
  const query = params
    ? "?" + new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "")).toString()
    : "";
  let response;
  try {
    response = await fetch(MP + path + (query === "?" ? "" : query), {
      method,
      headers: headers(body ? { "Content-Type": "application/json" } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (response.status === 401) token.clear();
  if (!response.ok) {
    let payload = null;
    try { payload = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, payload);
  }
  if (raw) return response;
  return response.status === 204 ? null : response.json();
}

export const api = {
  get: (path, params) => send("GET", path, { params }),
  post: (path, body = {}) => send("POST", path, { body }),
  blob: async (path) => (await send("GET", path, { raw: true })).blob(),
  categories: () => api.get("/categories"),
  products: (params) => api.get("/products", params),
  product: (id) => api.get(`/products/${encodeURIComponent(id)}`),
  certificate: (number) => api.get(`/certificates/${encodeURIComponent(number)}`),
  expos: (params) => api.get("/expos", params),
  expo: (id) => api.get(`/expos/${encodeURIComponent(id)}`),
  register: (expoId) => api.post(`/expos/${encodeURIComponent(expoId)}/registrations`),
  myTickets: () => api.get("/me/tickets"),
  ticketQr: (id) => api.blob(`/tickets/${encodeURIComponent(id)}/qr.svg`),
  devLogin: async (name) => {
    const answer = await api.post("/auth/wechat-login", { code: `dev-${name}` });
    token.set(answer.token);
    return answer;
  },
};

// Money arrives as integer fen; show yuan with two decimals.
export function yuan(fen) {
  if (fen === null || fen === undefined) return "";
  return `¥${(fen / 100).toFixed(2)}`;
}

const CHINA = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai", year: "numeric", month: "long", day: "numeric",
  weekday: "short", hour: "2-digit", minute: "2-digit", hour12: false,
});

// Any ISO time, shown as China time whatever the phone's own zone.
export function chinaTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : CHINA.format(date);
}
