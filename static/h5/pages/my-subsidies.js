// 我的补贴: the villager's subsidy claims, each with its status in words and its history.

import { api, chinaTime, token, yuan } from "/assets/shared/api.js";
import LoginBox from "/assets/h5/login-box.js";

// Tag colour per status; the status word is always printed beside it.
export const CLAIM_TAGS = { reserved: "warning", approved: "success", disbursed: "success", rejected: "danger" };

export default {
  components: { LoginBox },
  setup() {
    const claims = Vue.ref(null);
    const error = Vue.ref("");
    const needLogin = Vue.ref(!token.get());
    async function load() {
      needLogin.value = !token.get();
      if (needLogin.value) return;
      try {
        const page = await api.get("/me/subsidy-claims", { limit: 100 });
        claims.value = [...page.items].sort((a, b) => b.id - a.id);
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else error.value = e.friendly;
      }
    }
    load();
    return { claims, error, needLogin, load, chinaTime, yuan, CLAIM_TAGS };
  },
  template: `
    <van-nav-bar title="我的补贴" left-arrow left-text="返回" @click-left="$back()" />
    <login-box v-if="needLogin" @done="load" />
    <van-empty v-else-if="error" image="error" :description="error" />
    <van-loading v-else-if="!claims" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <van-empty v-else-if="!claims.length" description="还没有补贴申请">
      <app-link to="/h5/subsidies" class="van-button van-button--primary van-button--normal">去申请补贴</app-link>
    </van-empty>
    <template v-else>
      <article v-for="c in claims" :key="c.id" class="card claim" :data-claim-id="c.id">
        <h2>{{ c.program_title }}</h2>
        <p><van-tag class="services-status" :type="CLAIM_TAGS[c.status] || 'default'" size="large">{{ c.status_label }}</van-tag>
          <span v-if="c.flagged" class="flag-note"> 需复核：{{ c.flag_reason }}</span></p>
        <dl class="facts">
          <dt>补贴金额</dt><dd><strong class="money">{{ yuan(c.amount_fen) }}</strong></dd>
          <dt>商品</dt><dd>{{ c.product_name }}（{{ c.merchant_name }}）</dd>
          <dt>实付金额</dt><dd>{{ yuan(c.price_paid_fen) }}</dd>
          <dt>发票号码</dt><dd>{{ c.invoice_no }}</dd>
          <dt>购买日期</dt><dd>{{ c.purchase_date }}</dd>
          <dt>提交时间</dt><dd>{{ chinaTime(c.created_at) }}</dd>
        </dl>
        <p v-if="c.decision_note" class="decision"><strong>审核意见：</strong>{{ c.decision_note }}</p>
        <h3 class="timeline-title">办理进度</h3>
        <van-steps direction="vertical" :active="c.history.length - 1" active-color="#145c38" class="timeline">
          <van-step v-for="(h, i) in c.history" :key="i">
            <p class="step-title">{{ h.status_label }} <span class="muted">· {{ h.by_name }}</span></p>
            <p class="step-time">{{ chinaTime(h.at) }}</p>
            <p v-if="h.note" class="step-note">{{ h.note }}</p>
          </van-step>
        </van-steps>
      </article>
      <p class="services-tip"><app-link to="/h5/subsidies" class="text-link">申请新的补贴 ›</app-link></p>
    </template>`,
};
