// One online zone: its products, packages, coupons and live sessions.

import { api, chinaTime, yuan } from "/assets/shared/api.js";
import { LIVE_TAGS } from "/assets/h5/pages/zones.js";

export default {
  props: { id: { type: String, required: true } },
  setup(props) {
    const data = Vue.ref(null);
    const error = Vue.ref("");
    api.get(`/zones/${encodeURIComponent(props.id)}`).then((d) => { data.value = d; })
      .catch((e) => { error.value = e.status === 404 ? "没有找到这个专区" : e.friendly; });
    return { data, error, chinaTime, yuan, LIVE_TAGS };
  },
  template: `
    <van-nav-bar title="专区" left-arrow left-text="返回" @click-left="$back()" />
    <van-empty v-if="error" image="error" :description="error" />
    <van-loading v-else-if="!data" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <template v-else>
      <section class="card">
        <h1 class="product-title">{{ data.zone.title }}</h1>
        <p><van-tag type="success" class="services-status">{{ data.zone.time_state_label }}</van-tag>
          <span class="small"> {{ chinaTime(data.zone.starts_at) }} 至 {{ chinaTime(data.zone.ends_at) }}</span></p>
        <p>{{ data.zone.description }}</p>
      </section>
      <section v-if="data.live_sessions.length" class="card">
        <h2>直播</h2>
        <p v-for="s in data.live_sessions" :key="s.id">
          <van-tag :type="LIVE_TAGS[s.state] || 'default'" class="services-status">{{ s.state_label }}</van-tag>
          <app-link :to="'/h5/live/' + s.id" class="text-link"> {{ s.title }}</app-link>
          <br><span class="small">{{ chinaTime(s.starts_at) }}</span></p>
      </section>
      <section v-if="data.packages.length" class="card">
        <h2>套餐</h2>
        <p v-for="p in data.packages" :key="p.id"><app-link :to="'/h5/packages/' + p.id" class="text-link">{{ p.name }}</app-link>
          <span class="price"> {{ yuan(p.price_fen) }}</span></p>
      </section>
      <section v-if="data.products.length" class="card">
        <h2>建材</h2>
        <p v-for="p in data.products" :key="p.id"><app-link :to="'/h5/products/' + p.id" class="text-link">{{ p.name }}</app-link>
          <span class="muted small"> · {{ p.brand }}</span><span class="price"> {{ yuan(p.price_fen) }}/{{ p.unit }}</span></p>
      </section>
      <section v-if="data.coupons.length" class="card">
        <h2>优惠券</h2>
        <p v-for="c in data.coupons" :key="c.id">{{ c.title }}</p>
        <app-link to="/h5/coupons" class="text-link">去领券 ›</app-link>
      </section>
    </template>`,
};
