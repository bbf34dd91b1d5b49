// The API client shared by every page (storefront and consoles): tokens, the error shape,
// Idempotency-Key on writes, a Chinese message per error code, money and China-time formatting.

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
  coupon_limit_reached: "您已领过这张券，不能再领了",
  budget_exhausted: "补贴额度已用完",
  personal_cap_reached: "您的补贴已达到个人上限",
  duplicate_invoice: "这张发票已经申请过补贴",
  sms_rate_limited: "验证码发送太频繁，请稍后再试",
  sms_code_invalid: "验证码不正确或已过期，请重新获取",
  sms_code_attempts: "验证码错误次数太多，请重新获取",
  idempotency_in_progress: "正在提交，请稍候",
  network: "网络不给力，请检查网络后重试",
};

export class ApiError extends Error {
  constructor(status, body, retryAfter = null) {
    const code = (body && body.error) || (status ? `http_${status}` : "network");
    super((body && body.message) || MESSAGES[code] || "出了点问题，请稍后再试");
    this.status = status;
    this.code = code;
    this.body = body || {};
    this.friendly = MESSAGES[code] || this.message;
    this.retryAfter = retryAfter; // seconds, from Retry-After (429, 503)
  }
}

// A key per write, kept across its retry, so a flaky network never does a write twice.
function newKey() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// One client per API: the storefront's (/api/mp/v1) and the consoles' (/api/v1), each with
// its own stored token. Every page goes through one of them.
export function createClient({ base, tokenKey }) {
  const token = {
    get: () => localStorage.getItem(tokenKey),
    set: (value) => localStorage.setItem(tokenKey, value),
    clear: () => localStorage.removeItem(tokenKey),
  };

  async function send(method, path, { body, params, raw, form } = {}) {
    const query = params
      ? "?" + new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "")).toString()
      : "";
    const headers = { Accept: "application/json" };
    if (body) headers["Content-Type"] = "application/json";
    const current = token.get();
    if (current) headers.Authorization = `Bearer ${current}`;
    const write = method !== "GET";
    if (write) headers["Idempotency-Key"] = newKey();
    let response;
    for (let attempt = 0; ; attempt += 1) {
      try {
        response = await fetch(base + path + (query === "?" ? "" : query), {
          method, headers, body: form || (body ? JSON.stringify(body) : undefined),
        });
        break;
      } catch {
        // The request may or may not have arrived: retry a write once with the same key.
        if (!write || attempt >= 1) throw new ApiError(0, null);
        await sleep(1200);
      }
    }
    if (response.status === 401) token.clear();
    if (!response.ok) {
      let payload = null;
      try { payload = await response.json(); } catch { /* not JSON */ }
      const wait = Number.parseInt(response.headers.get("Retry-After") || "", 10);
      throw new ApiError(response.status, payload, Number.isNaN(wait) ? null : wait);
    }
    if (raw) return response;
    return response.status === 204 ? null : response.json();
  }

  const client = {
    token,
    get: (path, params) => send("GET", path, { params }),
    post: (path, body = {}) => send("POST", path, { body }),
    patch: (path, body = {}) => send("PATCH", path, { body }),
    put: (path, body = {}) => send("PUT", path, { body }),
    del: (path) => send("DELETE", path),
    // One file (a Blob or File) as multipart: by default through upload-then-attach
    // (answers {"upload": {"id", ...}}); `path` and `field` for endpoints that take it direct.
    upload: (blob, filename = "photo.jpg", path = "/uploads", field = "file") => {
      const form = new FormData();
      form.append(field, blob, filename);
      return send("POST", path, { form });
    },
    blob: async (path, params) => (await send("GET", path, { params, raw: true })).blob(),
  };
  return client;
}

const mp = createClient({ base: "/api/mp/v1", tokenKey: "lvjian.token" });
export const token = mp.token;

export const api = {
  ...mp,
  categories: () => api.get("/categories"),
  products: (params) => api.get("/products", params),
  product: (id) => api.get(`/products/${encodeURIComponent(id)}`),
  certificate: (number) => api.get(`/certificates/${encodeURIComponent(number)}`),
  expos: (params) => api.get("/expos", params),
  expo: (id) => api.get(`/expos/${encodeURIComponent(id)}`),
  register: (expoId) => api.post(`/expos/${encodeURIComponent(expoId)}/registrations`),
  myTickets: () => api.get("/me/tickets"),
  ticketQr: (id) => api.blob(`/tickets/${encodeURIComponent(id)}/qr.svg`),
  smsCode: (phone) => api.post("/auth/sms-code", { phone }),
  smsLogin: async (phone, code) => {
    const answer = await api.post("/auth/sms-login", { phone, code });
    token.set(answer.token);
    return answer;
  },
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
