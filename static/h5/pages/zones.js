// 专区与直播: the online zones (current ones first) and the live sessions, 直播中 now and
// 即将开播 upcoming, in China time.

import { api, chinaTime } from "/assets/shared/api.js";

export const LIVE_TAGS = { live: "danger", upcoming: "primary", ended: "default" };

export default {
  setup() {
    const zones = Vue.ref(null);
    const sessions = Vue.ref(null);
    const error = Vue.ref("");
    api.get("/zones", { limit: 50 }).then((page) => { zones.value = page.items; })
      .catch((e) => { error.value = e.friendly; });
    api.get("/live-sessions", { limit: 50 }).then((page) => { sessions.value = page.items; })
      .catch((e) => { error.value = e.friendly; });
    return { zones, sessions, error, chinaTime, LIVE_TAGS };
  },
  template: `
    <van-nav-bar title="专区与直播" left-arrow left-text="返回" @click-left="$back()" />
    <van-empty v-if="error" image="error" :description="error" />
    <section aria-labelledby="live-title">
      <h2 id="live-title" class="section-title">直播</h2>
      <van-loading v-if="!sessions && !error" class="page-loading" size="24" vertical>正在加载…</van-loading>
      <p v-else-if="sessions && !sessions.length" class="muted empty-line">近期没有直播</p>
      <app-link v-for="s in sessions || []" :key="s.id" :to="'/h5/live/' + s.id" class="card live-item"
        :data-state="s.state">
        <p><van-tag :type="LIVE_TAGS[s.state] || 'default'" size="large" class="services-status">{{ s.state_label }}</van-tag>
          <span class="muted small"> {{ s.host_kind_label }}</span></p>
        <h3 class="product-name">{{ s.title }}</h3>
        <p class="small">{{ chinaTime(s.starts_at) }} 开播 · {{ s.platform_label }}</p>
        <p class="muted small">{{ s.host_name }}</p>
      </app-link>
    </section>
    <section aria-labelledby="zone-title">
      <h2 id="zone-title" class="section-title">线上专区</h2>
      <van-loading v-if="!zones && !error" class="page-loading" size="24" vertical>正在加载…</van-loading>
      <p v-else-if="zones && !zones.length" class="muted empty-line">暂时没有专区</p>
      <app-link v-for="z in zones || []" :key="z.id" :to="'/h5/zones/' + z.id" class="card zone-item">
        <h3 class="product-name">{{ z.title }}</h3>
        <p><van-tag :type="z.time_state === 'current' ? 'success' : 'primary'" class="services-status">{{ z.time_state_label }}</van-tag>
          <span class="small"> {{ chinaTime(z.starts_at) }} 至 {{ chinaTime(z.ends_at) }}</span></p>
        <p class="muted small">{{ z.description }}</p>
      </app-link>
    </section>`,
};
