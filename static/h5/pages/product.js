// Product detail: pictures, price and promotional price, running promotions, claimable coupons,
// the subsidy it may earn, the certificate badge, the merchant, and a way to complain.

import { api, chinaTime, token, yuan } from "/assets/shared/api.js";
import LoginBox from "/assets/h5/login-box.js";

// "满 ¥1000.00 减 ¥100.00", "打 9.5 折".
function couponTerms(c) {
  const off = c.kind === "percent"
    ? `打 ${((10000 - c.percent_off_bp) / 1000).toFixed(2).replace(/\.?0+$/, "")} 折`
    : `减 ${yuan(c.amount_fen)}`;
  return c.min_spend_fen ? `满 ${yuan(c.min_spend_fen)} ${off}` : `无门槛 ${off}`;
}

export default {
  components: { LoginBox },
  props: { id: { type: String, required: true } },
  setup(props) {
    const product = Vue.ref(null);
    const error = Vue.ref("");
    const claims = Vue.reactive({}); // coupon id → {state: "busy"|"done"|"refused", text}
    const needLogin = Vue.ref(false);
    let waiting = null; // the coupon to claim once logged in
    const subsidy = Vue.ref(null); // {estimate: {program_id, program_name, amount_fen} | null, message}
    api.product(props.id).then((p) => {
      product.value = p;
      document.title = `${p.name} · 绿建下乡`;
      if (p.subsidy_estimate) subsidy.value = { estimate: p.subsidy_estimate, message: "" };
      else {
        // Judged for the signed-in villager's region; a small answer fetched after the page.
        api.get(`/products/${encodeURIComponent(props.id)}/subsidy-estimate`)
          .then((answer) => { subsidy.value = answer; }).catch(() => {});
      }
    }).catch((e) => { error.value = e.status === 404 ? "这个商品不存在或已下架" : e.friendly; });

    async function claim(coupon) {
      if (!token.get()) { waiting = coupon; needLogin.value = true; return; }
      claims[coupon.id] = { state: "busy", text: "" };
      try {
        await api.post(`/coupons/${coupon.id}/claim`);
        claims[coupon.id] = { state: "done", text: "领取成功，已放入我的优惠券" };
        coupon.remaining = Math.max(0, coupon.remaining - 1);
      } catch (e) {
        if (e.status === 401) { waiting = coupon; needLogin.value = true; delete claims[coupon.id]; return; }
        claims[coupon.id] = { state: e.code === "coupon_limit_reached" ? "done" : "refused", text: e.friendly };
        if (e.code === "coupon_sold_out") coupon.remaining = 0;
      }
    }
    const loggedIn = () => { needLogin.value = false; if (waiting) claim(waiting); waiting = null; };
    const estimate = Vue.computed(() => {
      const found = subsidy.value && subsidy.value.estimate;
      return found ? { ...found, program_name: found.program_name || found.program_title } : null;
    });
    const subsidyLink = Vue.computed(() => {
      const p = product.value;
      const s = estimate.value;
      return s ? `/h5/subsidies/apply?program=${s.program_id}&product=${p.id}&merchant=${p.merchant.id}` : "";
    });
    const needRegion = Vue.computed(() => Boolean(subsidy.value && !subsidy.value.estimate
      && subsidy.value.region == null && subsidy.value.message));
    const complaintLink = Vue.computed(() => product.value
      ? `/h5/complaints/new?merchant=${product.value.merchant.id}&product=${product.value.id}` : "");
    return { product, error, claims, needLogin, claim, loggedIn, estimate, subsidy, needRegion,
      subsidyLink, complaintLink,
      couponTerms, yuan, chinaTime };
  },
  template: `
    <van-nav-bar title="商品详情" left-arrow left-text="返回" @click-left="$back()" />
    <van-empty v-if="error" image="error" :description="error" />
    <van-loading v-else-if="!product" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <article v-else class="product-detail">
      <img v-if="product.images.length" :src="product.images[0]" :alt="product.name" class="product-hero">
      <section class="card">
        <h1 class="product-title">{{ product.name }}</h1>
        <p class="price big">
          <van-tag v-if="product.promo_price_fen != null" type="danger" size="medium">促销价</van-tag>
          <strong>{{ yuan(product.promo_price_fen ?? product.price_fen) }}</strong>
          <small v-if="product.unit">/{{ product.unit }}</small>
          <del v-if="product.promo_price_fen != null">原价 {{ yuan(product.price_fen) }}</del>
        </p>
        <p class="muted">{{ product.brand }}<template v-if="product.model_spec"> · {{ product.model_spec }}</template></p>
        <ul v-if="product.promotions && product.promotions.length" class="promo-list" aria-label="正在进行的促销">
          <li v-for="p in product.promotions" :key="p.id"><van-icon name="fire-o" aria-hidden="true" />
            {{ p.title }}<span class="muted">（{{ chinaTime(p.ends_at) }} 结束）</span></li>
        </ul>
      </section>
      <section v-if="estimate" class="card subsidy-card">
        <h2><van-icon name="gold-coin-o" aria-hidden="true" /> 购买此商品预计可获补贴约 {{ yuan(estimate.amount_fen) }}</h2>
        <p class="muted">{{ estimate.program_name }}，以审核结果为准。</p>
        <app-link :to="subsidyLink" class="van-button van-button--primary van-button--block big-button">购买后申请补贴</app-link>
      </section>
      <p v-else-if="needRegion" class="card subsidy-hint">{{ subsidy.message }}
        <app-link to="/h5/me" class="text-link">去设置 ›</app-link></p>
      <section v-if="product.coupons && product.coupons.length" class="card" aria-labelledby="coupon-title">
        <h2 id="coupon-title">可领优惠券</h2>
        <ul class="coupon-list">
          <li v-for="c in product.coupons" :key="c.id" class="coupon">
            <div class="coupon-body">
              <strong>{{ c.title }}</strong>
              <span>{{ couponTerms(c) }}</span>
              <span v-if="c.expo_only" class="muted">限展销会到场村民领取</span>
              <span class="muted">剩余 {{ c.remaining }} 张</span>
            </div>
            <van-button type="danger" size="small" class="claim-button"
              :loading="claims[c.id] && claims[c.id].state === 'busy'"
              :disabled="(claims[c.id] && claims[c.id].state === 'done') || c.remaining <= 0"
              :aria-label="'领取 ' + c.title" @click="claim(c)">
              {{ claims[c.id] && claims[c.id].state === 'done' ? '已领取' : c.remaining <= 0 ? '已领完' : '领取' }}
            </van-button>
            <p v-if="claims[c.id] && claims[c.id].text" class="claim-result"
              :class="claims[c.id].state === 'refused' ? 'error-text' : 'ok-text'" role="status">{{ claims[c.id].text }}</p>
          </li>
        </ul>
        <app-link to="/h5/me/coupons" class="text-link">查看我的优惠券 ›</app-link>
      </section>
      <login-box v-if="needLogin" title="登录后领取优惠券" @done="loggedIn" />
      <section class="card cert-badge" :class="product.certificate && product.certificate.status === 'valid' ? 'ok' : 'bad'">
        <template v-if="product.certificate">
          <h2><van-icon :name="product.certificate.status === 'valid' ? 'passed' : 'warning-o'" aria-hidden="true" />
            绿色建材认证：{{ product.certificate.status_label }}</h2>
          <p>{{ product.certificate.star }} 星级 · 证书编号 {{ product.certificate.number }}</p>
          <p class="muted">发证机构：{{ product.certificate.issuer }}，有效期至 {{ product.certificate.valid_until }}</p>
          <app-link :to="'/h5/certificates/' + encodeURIComponent(product.certificate.number)" class="text-link">查验这张证书 ›</app-link>
        </template>
        <h2 v-else><van-icon name="info-o" aria-hidden="true" /> 此商品未关联绿色建材认证证书</h2>
        <p v-if="product.eligibility" class="muted">{{ product.eligibility.message }}</p>
      </section>
      <section class="card">
        <h2>商家</h2>
        <p><strong>{{ product.merchant.name }}</strong></p>
        <p v-if="product.merchant.address" class="muted">地址：{{ product.merchant.address }}</p>
      </section>
      <section v-if="product.description" class="card">
        <h2>商品介绍</h2>
        <p>{{ product.description }}</p>
      </section>
      <section class="card complain">
        <p>买到假冒认证或质量有问题？</p>
        <app-link :to="complaintLink" class="text-link">投诉此商品 ›</app-link>
        <span class="muted">，或拨打 <a href="tel:12315">12315</a></span>
      </section>
    </article>`,
};
