// 我的: the villager's profile (ID number masked), region, links to tickets, coupons,
// subsidies, complaints and notifications, care mode, log out.

import { api, token } from "/assets/shared/api.js";
import { go } from "/assets/h5/router.js";
import { forgetPersonal } from "/assets/h5/offline.js";
import { CareSwitch } from "/assets/h5/care.js";
import LoginBox from "/assets/h5/login-box.js";

const LINKS = [
  { to: "/h5/tickets", icon: "qr", title: "我的入场票" },
  { to: "/h5/me/coupons", icon: "coupon-o", title: "我的优惠券" },
  { to: "/h5/me/subsidies", icon: "gold-coin-o", title: "我的补贴" },
  { to: "/h5/me/complaints", icon: "service-o", title: "我的投诉" },
  { to: "/h5/me/bookings", icon: "clock-o", title: "我的预约" },
  { to: "/h5/me/notifications", icon: "bell", title: "消息通知" },
];
const ID_CARD = /^\d{17}[\dX]$/;

const asOption = (r) => ({ text: r.name, value: r.code, level: r.level,
  children: r.level === "village" ? undefined : [] });
const loadRegions = (parent) => api.get("/regions", parent ? { parent } : undefined)
  .then((rows) => rows.map(asOption));

// "河南省 / 郑州市 / 金水区" from a code, walking up its parents.
async function regionPath(code) {
  const names = [];
  for (let current = code, hops = 0; current && hops < 5; hops += 1) {
    const region = await api.get(`/regions/${encodeURIComponent(current)}`);
    names.unshift(region.name);
    current = region.parent_code;
  }
  return names.join(" / ");
}

export default {
  components: { LoginBox, CareSwitch },
  setup() {
    const me = Vue.ref(null);
    const needLogin = Vue.ref(!token.get());
    const error = Vue.ref("");
    const form = Vue.reactive({ nickname: "", real_name: "", id_card_no: "" });
    const fieldErrors = Vue.reactive({});
    const saving = Vue.ref(false);
    const saved = Vue.ref("");
    const regionText = Vue.ref("");
    const picking = Vue.ref(false);
    const regionValue = Vue.ref("");
    const options = Vue.ref([]);

    function show(profile) {
      me.value = profile;
      form.nickname = profile.nickname || "";
      form.real_name = profile.real_name || "";
      form.id_card_no = "";
      if (profile.region_code) regionPath(profile.region_code).then((t) => { regionText.value = t; }).catch(() => {});
    }
    async function load() {
      needLogin.value = !token.get();
      if (needLogin.value) return;
      try {
        show(await api.get("/me"));
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else error.value = e.friendly;
      }
    }
    load();

    async function save() {
      Object.keys(fieldErrors).forEach((k) => delete fieldErrors[k]);
      saved.value = "";
      const patch = {};
      if (form.nickname.trim() && form.nickname.trim() !== me.value.nickname) patch.nickname = form.nickname.trim();
      if (form.real_name.trim() && form.real_name.trim() !== (me.value.real_name || "")) patch.real_name = form.real_name.trim();
      const idNo = form.id_card_no.trim().toUpperCase();
      if (idNo) {
        if (!ID_CARD.test(idNo)) { fieldErrors.id_card_no = "请输入 18 位身份证号码"; return; }
        patch.id_card_no = idNo;
      }
      if (!Object.keys(patch).length) { saved.value = "资料没有变化"; return; }
      saving.value = true;
      try {
        show(await api.patch("/me", patch));
        saved.value = "已保存";
      } catch (e) {
        const errors = (e.body && e.body.errors) || {};
        for (const [field, messages] of Object.entries(errors)) {
          fieldErrors[field] = Array.isArray(messages) ? messages[0] : String(messages);
        }
        if (!Object.keys(errors).length) error.value = e.friendly;
      } finally {
        saving.value = false;
      }
    }

    async function openPicker() {
      picking.value = true;
      if (!options.value.length) {
        try { options.value = await loadRegions(); } catch (e) { error.value = e.friendly; }
      }
    }
    async function chooseRegion(selected) {
      picking.value = false;
      const last = selected[selected.length - 1];
      try {
        show(await api.patch("/me", { region_code: last.value }));
        regionText.value = selected.map((o) => o.text).join(" / ");
        saved.value = "所在地区已更新";
      } catch (e) {
        error.value = e.friendly;
      }
    }
    // Children load when a level is chosen; a place without any ends the choice there.
    async function onChange({ selectedOptions }) {
      const option = selectedOptions[selectedOptions.length - 1];
      if (!option.children || option.children.length) return;
      try {
        const children = await loadRegions(option.value);
        if (children.length) option.children = children;
        else { option.children = undefined; chooseRegion(selectedOptions); }
      } catch (e) {
        error.value = e.friendly;
      }
    }

    async function logout() {
      try { await api.post("/auth/logout"); } catch { /* the token goes anyway */ }
      token.clear();
      await forgetPersonal();
      go("/h5/");
    }
    return { me, needLogin, error, form, fieldErrors, saving, saved, regionText, picking,
      regionValue, options, load, save, openPicker, onChange, chooseRegion, logout, LINKS };
  },
  template: `
    <van-nav-bar title="我的" />
    <template v-if="needLogin">
      <login-box title="登录后查看我的入场票、优惠券和补贴" @done="load" />
      <section class="card"><care-switch /></section>
    </template>
    <van-empty v-else-if="error && !me" image="error" :description="error" />
    <van-loading v-else-if="!me" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <template v-else>
      <section class="card me-head">
        <van-icon name="manager" size="48" aria-hidden="true" />
        <div>
          <h1 class="me-name">{{ me.nickname }}</h1>
          <p class="muted">手机号：{{ me.phone || '未绑定' }}</p>
        </div>
      </section>
      <nav class="card me-links" aria-label="我的服务">
        <app-link v-for="l in LINKS" :key="l.to" :to="l.to" class="me-link">
          <van-icon :name="l.icon" size="24" aria-hidden="true" /><span>{{ l.title }}</span>
          <van-icon name="arrow" aria-hidden="true" />
        </app-link>
      </nav>
      <section class="card" aria-labelledby="profile-title">
        <h2 id="profile-title">个人资料</h2>
        <p class="muted small">申请补贴需要真实姓名和身份证号，信息加密保存，只显示部分号码。</p>
        <form novalidate @submit.prevent="save">
          <van-field v-model="form.nickname" name="nickname" label="昵称" maxlength="32"
            :error-message="fieldErrors.nickname" label-align="top" />
          <van-field v-model="form.real_name" name="real_name" label="真实姓名" maxlength="32"
            autocomplete="name" :error-message="fieldErrors.real_name" label-align="top" />
          <van-field v-model="form.id_card_no" name="id_card_no" label="身份证号" maxlength="18"
            :placeholder="me.id_card_no ? '如需更改，请输入新的号码' : '18 位身份证号码'"
            autocomplete="off" :error-message="fieldErrors.id_card_no" label-align="top" />
          <p class="id-masked">已登记的身份证号：<strong>{{ me.id_card_no || '未填写' }}</strong></p>
          <van-button type="primary" block native-type="submit" :loading="saving" class="big-button">保存资料</van-button>
        </form>
        <p v-if="saved" class="ok-text" role="status">{{ saved }}</p>
        <p v-if="error" class="error-text" role="alert">{{ error }}</p>
      </section>
      <section class="card" aria-labelledby="region-title">
        <h2 id="region-title">所在地区</h2>
        <p class="muted small">用于推荐附近的展销会和您能申请的补贴。</p>
        <van-button block plain type="primary" class="big-button region-button" icon="location-o" @click="openPicker">
          {{ regionText || (me.region_code ? '正在读取…' : '选择所在地区') }}
        </van-button>
      </section>
      <section class="card"><care-switch /></section>
      <section class="card">
        <van-button block class="big-button" @click="logout">退出登录</van-button>
      </section>
      <van-popup v-model:show="picking" round position="bottom" teleport="body">
        <van-cascader v-model="regionValue" title="选择所在地区" :options="options"
          active-color="#145c38" @close="picking = false" @change="onChange"
          @finish="({ selectedOptions }) => chooseRegion(selectedOptions)" />
      </van-popup>
    </template>`,
};
