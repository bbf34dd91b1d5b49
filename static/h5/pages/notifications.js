// 消息通知: what the campaign told this villager (waiting-list seat, expo cancelled, subsidy
// decided, coupon expiring, complaint progress), newest first.

import { api, chinaTime, token, yuan } from "/assets/shared/api.js";
import LoginBox from "/assets/h5/login-box.js";

const COMPLAINT_STATUS = { submitted: "已提交", accepted: "已受理", awaiting_merchant: "待商家答复",
  merchant_responded: "商家已答复", mediated: "调解中", declined: "不予受理", resolved: "已办结",
  closed: "已关闭" };

// One readable sentence and, when there is one, the page to open.
function describe(n) {
  const d = n.data || {};
  switch (n.kind) {
    case "waitlist_promoted":
      return { title: "候补成功", text: `您已获得「${d.title}」的入场名额，请按时参加。`, to: `/h5/tickets/${d.ticket_id}` };
    case "expo_cancelled":
      return { title: "展销会取消", text: `「${d.title}」已取消${d.reason ? "：" + d.reason : "。"}`, to: `/h5/expos/${d.expo_id}` };
    case "ticket_revoked":
      return { title: "入场票作废", text: `您在「${d.title}」的入场票已被主办方作废${d.reason ? "：" + d.reason : "。"}`, to: "/h5/tickets" };
    case "coupon_expiring":
      return { title: "优惠券即将过期", text: `「${d.title}」将于 ${chinaTime(d.valid_until)} 过期，请尽快使用。`, to: "/h5/me/coupons" };
    case "subsidy_decided":
      return d.approved
        ? { title: "补贴审核通过", text: `您的补贴申请已通过，金额 ${yuan(d.amount_fen)}。`, to: "/h5/me/subsidies" }
        : { title: "补贴审核未通过", text: `您的补贴申请未通过${d.note ? "：" + d.note : "。"}`, to: "/h5/me/subsidies" };
    case "subsidy_disbursed":
      return { title: "补贴已发放", text: `补贴 ${yuan(d.amount_fen)} 已发放，请留意银行到账。`, to: "/h5/me/subsidies" };
    case "complaint_updated":
      return { title: "投诉有新进展", text: `投诉 ${d.tracking_no || ""} 当前状态：${COMPLAINT_STATUS[d.status] || d.status}。`,
        to: d.complaint_id ? `/h5/complaints/${d.complaint_id}` : "/h5/me/complaints" };
    default:
      return { title: "系统通知", text: "您有一条新的通知。", to: "" };
  }
}

export default {
  components: { LoginBox },
  setup() {
    const items = Vue.ref([]);
    const loading = Vue.ref(false);
    const finished = Vue.ref(false);
    const failed = Vue.ref(false);
    const errorText = Vue.ref("");
    const needLogin = Vue.ref(!token.get());
    let cursor = null;
    async function load() {
      try {
        const page = await api.get("/me/notifications", { limit: 20, cursor });
        items.value.push(...page.items.map((n) => ({ ...n, ...describe(n) })));
        cursor = page.next_cursor;
        finished.value = !cursor;
      } catch (e) {
        if (e.status === 401) { needLogin.value = true; finished.value = true; }
        else { failed.value = true; errorText.value = `${e.friendly}，点此重试`; }
      } finally {
        loading.value = false;
      }
    }
    const loggedIn = () => { needLogin.value = false; finished.value = false; };
    return { items, loading, finished, failed, errorText, needLogin, load, loggedIn, chinaTime };
  },
  template: `
    <van-nav-bar title="消息通知" left-arrow left-text="返回" @click-left="$back()" />
    <login-box v-if="needLogin" @done="loggedIn" />
    <template v-else>
      <van-list v-if="!(finished && !items.length)" v-model:loading="loading" v-model:error="failed" :finished="finished"
        :finished-text="items.length ? '没有更多了' : ''" loading-text="正在加载…" :error-text="errorText"
        @load="load">
        <article v-for="n in items" :key="n.id" class="card notice">
          <h2>{{ n.title }}</h2>
          <p>{{ n.text }}</p>
          <p class="muted small"><time :datetime="n.created_at">{{ chinaTime(n.created_at) }}</time></p>
          <app-link v-if="n.to" :to="n.to" class="text-link">查看详情 ›</app-link>
        </article>
      </van-list>
      <van-empty v-if="finished && !items.length" description="暂时没有消息" />
    </template>`,
};
