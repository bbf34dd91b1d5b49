// 我的优惠券: unused, used and expired coupons; each unused one with a large QR code (and its
// code in print) for the merchant to scan at the till.

import { api, chinaTime, token } from "/assets/shared/api.js";
import LoginBox from "/assets/h5/login-box.js";
import { couponRule, SCOPES } from "/assets/h5/pages/coupons.js";

const TABS = [
  { name: "unused", title: "未使用", empty: "没有可以使用的优惠券" },
  { name: "used", title: "已使用", empty: "还没有用过优惠券" },
  { name: "expired", title: "已过期", empty: "没有过期的优惠券" },
];

export default {
  components: { LoginBox },
  setup() {
    const tab = Vue.ref("unused");
    const lists = Vue.reactive({ unused: null, used: null, expired: null });
    const qr = Vue.reactive({});
    const error = Vue.ref("");
    const needLogin = Vue.ref(!token.get());
    async function load(status) {
      needLogin.value = !token.get();
      if (needLogin.value) return;
      try {
        const page = await api.get("/me/coupons", { status, limit: 100 });
        lists[status] = page.items;
        if (status === "unused") {
          // The QR image needs the bearer token: fetched here, shown from a blob URL.
          for (const c of page.items) {
            if (qr[c.id]) continue;
            api.blob(`/me/coupons/${c.id}/qr.svg`)
              .then((blob) => { qr[c.id] = URL.createObjectURL(blob); })
              .catch(() => { qr[c.id] = ""; });
          }
        }
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else error.value = e.friendly;
      }
    }
    function refresh() {
      error.value = "";
      load(tab.value);
    }
    Vue.watch(tab, (status) => { if (!lists[status]) load(status); });
    load("unused");
    Vue.onBeforeUnmount(() => Object.values(qr).forEach((url) => url && URL.revokeObjectURL(url)));
    return { tab, lists, qr, error, needLogin, refresh, TABS, couponRule, SCOPES, chinaTime };
  },
  template: `
    <van-nav-bar title="我的优惠券" left-arrow left-text="返回" @click-left="$back()" />
    <login-box v-if="needLogin" @done="refresh" />
    <van-empty v-else-if="error" image="error" :description="error" />
    <template v-else>
      <van-tabs v-model:active="tab" sticky line-width="48" title-active-color="#145c38">
        <van-tab v-for="t in TABS" :key="t.name" :name="t.name" :title="t.title">
          <van-loading v-if="!lists[t.name]" class="page-loading" size="32" vertical>正在加载…</van-loading>
          <van-empty v-else-if="!lists[t.name].length" :description="t.empty">
            <app-link v-if="t.name === 'unused'" to="/h5/coupons"
              class="van-button van-button--primary van-button--normal">去领券中心</app-link>
          </van-empty>
          <ul v-else class="coupon-list">
            <li v-for="c in lists[t.name]" :key="c.id" class="card my-coupon" :class="'is-' + c.status">
              <h2>{{ c.title }}</h2>
              <p class="coupon-rule">{{ couponRule(c.terms) }} · {{ SCOPES[c.terms.scope] || "" }}</p>
              <p class="muted">{{ c.merchant.name }}</p>
              <p><van-tag class="services-status" :type="c.status === 'unused' ? 'success' : 'default'" size="large">{{ c.status_label }}</van-tag>
                <span v-if="c.status === 'used'" class="muted"> 使用于 {{ chinaTime(c.used_at) }}</span></p>
              <p class="muted">有效期：{{ chinaTime(c.valid_from) }} 至 {{ chinaTime(c.valid_until) }}</p>
              <figure v-if="c.status === 'unused'" class="coupon-qr">
                <img v-if="qr[c.id]" :src="qr[c.id]" :alt="'优惠券二维码，券码 ' + c.code" width="280" height="280">
                <van-loading v-else-if="qr[c.id] === undefined" size="28" vertical>正在生成二维码…</van-loading>
                <figcaption>
                  <span class="coupon-code-label">券码</span>
                  <code class="coupon-code">{{ c.code }}</code>
                  <span>到店结账时出示此二维码，由商家扫码核销</span>
                </figcaption>
              </figure>
            </li>
          </ul>
        </van-tab>
      </van-tabs>
      <p class="services-tip"><app-link to="/h5/coupons" class="text-link">领更多优惠券 ›</app-link></p>
    </template>`,
};
