// 补贴申请: the subsidy programmes open where the villager lives, with the money left in each,
// and the way to apply.

import { api, token, yuan } from "/assets/shared/api.js";
import LoginBox from "/assets/h5/login-box.js";

export function percent(bp) {
  return `${(bp / 100).toFixed(bp % 100 ? 1 : 0)}%`;
}

export default {
  components: { LoginBox },
  setup() {
    const programs = Vue.ref(null);
    const me = Vue.ref(null);
    const error = Vue.ref("");
    const needLogin = Vue.ref(!token.get());
    async function load() {
      needLogin.value = !token.get();
      if (needLogin.value) return;
      try {
        const [page, profile] = await Promise.all([
          api.get("/subsidy-programs", { limit: 50 }), api.get("/me")]);
        programs.value = page.items;
        me.value = profile;
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else error.value = e.friendly;
      }
    }
    load();
    const incomplete = Vue.computed(() => me.value && !(me.value.real_name && me.value.id_card_no && me.value.region_code));
    return { programs, me, error, needLogin, load, incomplete, yuan, percent };
  },
  template: `
    <van-nav-bar title="补贴申请" left-arrow left-text="返回" @click-left="$back()" />
    <login-box v-if="needLogin" @done="load" />
    <van-empty v-else-if="error" image="error" :description="error" />
    <van-loading v-else-if="!programs" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <template v-else>
      <section v-if="incomplete" class="card notice" role="note">
        <h2><van-icon name="info-o" aria-hidden="true" /> 申请前请先完善实名信息</h2>
        <p>补贴按身份证发放，需要填写真实姓名、身份证号和居住地。</p>
        <app-link to="/h5/me" class="text-link">去“我的”填写 ›</app-link>
      </section>
      <van-empty v-if="!programs.length" :description="me && me.region_code ? '您所在地区暂时没有开放的补贴项目' : '填写居住地后，可以看到当地的补贴项目'" />
      <article v-for="p in programs" :key="p.id" class="card program">
        <h2>{{ p.title }}</h2>
        <p><van-tag class="services-status" :type="p.status === 'open' ? 'success' : 'default'" size="large">{{ p.status_label }}</van-tag>
          <span class="muted"> {{ p.starts_on }} 至 {{ p.ends_on }}</span></p>
        <dl class="facts">
          <dt>补贴品类</dt><dd>{{ p.categories.map((c) => c.name).join("、") }}</dd>
          <dt>补贴比例</dt><dd>按实付金额的 {{ percent(p.rate_bp) }}</dd>
          <dt>单件最高</dt><dd>{{ yuan(p.cap_per_item_fen) }}</dd>
          <dt>每人最高</dt><dd>{{ yuan(p.cap_per_person_fen) }}</dd>
          <dt>剩余额度</dt><dd><strong class="money">{{ yuan(p.remaining_fen) }}</strong>
            <span v-if="p.remaining_fen <= 0">（已用完）</span></dd>
        </dl>
        <app-link v-if="p.remaining_fen > 0" :to="'/h5/subsidies/apply?program=' + p.id"
          class="van-button van-button--primary van-button--normal van-button--block big-button">申请这项补贴</app-link>
      </article>
      <p class="services-tip"><app-link to="/h5/me/subsidies" class="text-link">查看我的补贴申请 ›</app-link></p>
    </template>`,
};
