// 领券中心: coupons that can be claimed now (of one merchant or expo when the link says so),
// how many are left, and a claim button; first come, first served.

import { api, chinaTime, token, yuan } from "/assets/shared/api.js";
import { route } from "/assets/h5/router.js";
import LoginBox from "/assets/h5/login-box.js";

// Whole yuan without ".00" (coupon values are round sums; "¥100" reads faster than "¥100.00").
export function shortYuan(fen) {
  return fen % 100 === 0 ? `¥${fen / 100}` : yuan(fen);
}

// A coupon's rule in words ("满1000元减100元", "9.5折，最高减200元"); `t` is a template or the
// terms a claimed coupon keeps.
export function couponRule(t) {
  const threshold = t.min_spend_fen ? `满${shortYuan(t.min_spend_fen)}` : "无门槛";
  if (t.kind === "fixed") return `${threshold}减${shortYuan(t.amount_fen)}`;
  const rate = (10000 - (t.percent_off_bp || 0)) / 1000;
  const cap = t.cap_fen ? `，最高减${shortYuan(t.cap_fen)}` : "";
  return `${threshold}打${rate}折${cap}`;
}

export const SCOPES = { shop: "全店通用", category: "限指定品类", products: "限指定商品" };

export default {
  components: { LoginBox },
  setup() {
    const merchant = route.query.get("merchant") || "";
    const expo = route.query.get("expo") || "";
    const coupons = Vue.ref(null);
    const error = Vue.ref("");
    const busy = Vue.ref(null);
    const notes = Vue.reactive({}); // per coupon: {ok, text}
    const pending = Vue.ref(null); // the coupon to claim once logged in
    async function load() {
      try {
        const page = await api.get("/coupons", { merchant, expo, limit: 50 });
        coupons.value = page.items;
      } catch (e) {
        error.value = e.friendly;
      }
    }
    async function claim(c) {
      if (!token.get()) { pending.value = c; return; }
      busy.value = c.id;
      try {
        await api.post(`/coupons/${c.id}/claim`);
        c.remaining = Math.max(0, c.remaining - 1);
        notes[c.id] = { ok: true, text: "领取成功，已放入“我的优惠券”" };
        vant.showToast({ message: "领取成功", type: "success" });
      } catch (e) {
        if (e.status === 401) { pending.value = c; return; }
        if (e.code === "coupon_sold_out") c.remaining = 0;
        notes[c.id] = { ok: false, text: e.friendly };
      } finally {
        busy.value = null;
      }
    }
    function loggedIn() {
      const c = pending.value;
      pending.value = null;
      if (c) claim(c);
    }
    load();
    const heading = expo ? "展会专享券" : merchant ? "本店优惠券" : "领券中心";
    return { coupons, error, busy, notes, pending, claim, loggedIn, heading, couponRule, SCOPES,
      chinaTime, shortYuan };
  },
  template: `
    <van-nav-bar :title="heading" left-arrow left-text="返回" @click-left="$back()" />
    <login-box v-if="pending" @done="loggedIn" />
    <van-empty v-if="error" image="error" :description="error" />
    <van-loading v-else-if="!coupons" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <van-empty v-else-if="!coupons.length" description="现在没有可领取的优惠券" />
    <template v-else>
      <p class="services-tip">领取后到店消费时出示券码，由商家扫码核销。
        <app-link to="/h5/me/coupons" class="text-link">我的优惠券 ›</app-link></p>
      <ul class="coupon-list">
        <li v-for="c in coupons" :key="c.id" class="card coupon" :class="{ 'is-out': c.remaining <= 0 }">
          <div class="coupon-value" aria-hidden="true">
            <strong v-if="c.kind === 'fixed'">{{ shortYuan(c.amount_fen) }}</strong>
            <strong v-else>{{ (10000 - c.percent_off_bp) / 1000 }}折</strong>
          </div>
          <div class="coupon-body">
            <h2>{{ c.title }}</h2>
            <p class="coupon-rule">{{ couponRule(c) }} · {{ SCOPES[c.scope] || "" }}</p>
            <p class="muted">{{ c.merchant.name }}</p>
            <p v-if="c.expo_only" class="coupon-flag">展会专享：到场参加展会后可领</p>
            <p class="muted">
              <template v-if="c.validity_kind === 'relative'">领取后 {{ c.valid_days }} 天内有效</template>
              <template v-else>有效期至 {{ chinaTime(c.valid_until) }}</template>
            </p>
            <p class="coupon-left">
              <template v-if="c.remaining > 0">还剩 <strong>{{ c.remaining }}</strong> 张（共 {{ c.total_quantity }} 张）</template>
              <template v-else>已领完</template>
              <template v-if="c.per_person_limit > 1"> · 每人限领 {{ c.per_person_limit }} 张</template>
              <template v-else> · 每人限领 1 张</template>
            </p>
            <p v-if="notes[c.id]" class="coupon-note" :class="notes[c.id].ok ? 'ok' : 'bad'" role="alert">
              <van-icon :name="notes[c.id].ok ? 'passed' : 'warning-o'" aria-hidden="true" /> {{ notes[c.id].text }}
            </p>
            <van-button type="primary" class="big-button" block :disabled="c.remaining <= 0"
              :loading="busy === c.id" loading-text="正在领取…"
              :aria-label="(c.remaining > 0 ? '立即领取 ' : '已领完 ') + c.merchant.name + ' ' + c.title"
              @click="claim(c)">{{ c.remaining > 0 ? "立即领取" : "已领完" }}</van-button>
          </div>
        </li>
      </ul>
    </template>`,
};
