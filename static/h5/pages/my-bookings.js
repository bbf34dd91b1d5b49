// 我的预约: the villager's home-visit bookings, each with its status in words; an open one
// (waiting, accepted or scheduled) can be cancelled.

import { api, chinaTime, token } from "/assets/shared/api.js";
import LoginBox from "/assets/h5/login-box.js";

const TAGS = { requested: "warning", accepted: "primary", scheduled: "success", completed: "success",
  declined: "danger", cancelled: "default" };
const OPEN = ["requested", "accepted", "scheduled"];

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
        items.value = (await api.get("/me/bookings", { limit: 100 })).items;
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else error.value = e.friendly;
      }
    }
    async function cancel(b) {
      try {
        await vant.showConfirmDialog({ title: "取消预约", message: `确定取消「${b.offer_name || b.shop_name}」的上门预约吗？`,
          confirmButtonText: "确定取消", cancelButtonText: "再想想" });
      } catch { return; }
      try {
        Object.assign(b, await api.post(`/me/bookings/${b.id}/cancel`));
        vant.showToast({ message: "预约已取消" });
      } catch (e) {
        vant.showToast(e.friendly);
      }
    }
    load();
    return { items, error, needLogin, load, cancel, chinaTime, TAGS, OPEN };
  },
  template: `
    <van-nav-bar title="我的预约" left-arrow left-text="返回" @click-left="$back()" />
    <login-box v-if="needLogin" @done="load" />
    <van-empty v-else-if="error" image="error" :description="error" />
    <van-loading v-else-if="!items" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <van-empty v-else-if="!items.length" description="还没有上门预约">
      <app-link to="/h5/services" class="van-button van-button--primary van-button--normal">去预约上门</app-link>
    </van-empty>
    <template v-else>
      <article v-for="b in items" :key="b.id" class="card booking" :data-booking-id="b.id">
        <h2>{{ b.offer_name || '上门服务' }}</h2>
        <p><van-tag class="services-status booking-status" :type="TAGS[b.status] || 'default'" size="large">{{ b.status_label }}</van-tag></p>
        <dl class="facts">
          <dt>店铺</dt><dd>{{ b.shop_name }}</dd>
          <dt>上门地址</dt><dd>{{ b.address }}</dd>
          <dt>希望时间</dt><dd>{{ chinaTime(b.preferred_at) }}</dd>
          <template v-if="b.scheduled_at"><dt>约定时间</dt><dd>{{ chinaTime(b.scheduled_at) }}</dd></template>
          <dt>联系电话</dt><dd>{{ b.phone }}</dd>
          <template v-if="b.merchant_note"><dt>商家留言</dt><dd>{{ b.merchant_note }}</dd></template>
        </dl>
        <van-button v-if="OPEN.includes(b.status)" plain type="danger" size="small" class="booking-cancel"
          @click="cancel(b)">取消预约</van-button>
      </article>
      <p class="services-tip"><app-link to="/h5/services" class="text-link">预约新的上门服务 ›</app-link></p>
    </template>`,
};
