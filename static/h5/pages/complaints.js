// 我的投诉: the villager's complaints, newest first, each with its tracking number and status.

import { api, token } from "/assets/shared/api.js";
import LoginBox from "/assets/h5/login-box.js";

// Tag colour per status; the status word is always printed beside it.
export const COMPLAINT_TAGS = {
  submitted: "primary", accepted: "primary", awaiting_merchant: "warning", merchant_responded: "warning",
  mediated: "warning", declined: "danger", resolved: "success", closed: "default",
};

export default {
  components: { LoginBox },
  setup() {
    const items = Vue.ref(null);
    const error = Vue.ref("");
    const needLogin = Vue.ref(!token.get());
    async function load() {
      needLogin.value = !token.get();
      if (needLogin.value) return;
      try {
        const page = await api.get("/me/complaints", { limit: 100 });
        items.value = [...page.items].sort((a, b) => b.id - a.id);
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else error.value = e.friendly;
      }
    }
    load();
    return { items, error, needLogin, load, COMPLAINT_TAGS };
  },
  template: `
    <van-nav-bar title="我的投诉" left-arrow left-text="返回" @click-left="$back()" />
    <login-box v-if="needLogin" @done="load" />
    <van-empty v-else-if="error" image="error" :description="error" />
    <van-loading v-else-if="!items" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <template v-else>
      <van-empty v-if="!items.length" description="还没有投诉记录" />
      <ul v-else class="complaint-list">
        <li v-for="c in items" :key="c.id">
          <app-link :to="'/h5/complaints/' + c.id" class="card complaint-item">
            <span class="complaint-head">
              <strong>{{ c.category_name }}</strong>
              <van-tag class="services-status" :type="COMPLAINT_TAGS[c.status] || 'default'" size="large">{{ c.status_label }}</van-tag>
            </span>
            <span class="complaint-desc">{{ c.description }}</span>
            <span class="muted">受理编号 {{ c.tracking_no }} · 提交于 {{ c.submitted_on }}</span>
            <span class="text-link">查看进度 ›</span>
          </app-link>
        </li>
      </ul>
      <div class="form-actions">
        <app-link to="/h5/complaints/new" class="van-button van-button--primary van-button--normal van-button--block big-button">我要投诉</app-link>
      </div>
    </template>`,
};
