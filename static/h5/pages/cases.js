// 案例: demonstration projects and typical cases, the nearest to the villager first.

import { api, token } from "/assets/shared/api.js";

const NEAR = ["本村", "本乡镇", "本县", "本市", "本省"];

export default {
  setup() {
    const items = Vue.ref(null);
    const error = Vue.ref("");
    (async () => {
      let region;
      if (token.get()) {
        try { region = (await api.get("/me")).region_code || undefined; } catch { /* anonymous */ }
      }
      const page = await api.get("/cases", { limit: 50, region });
      items.value = page.items;
    })().catch((e) => { error.value = e.friendly; });
    return { items, error, NEAR };
  },
  template: `
    <van-nav-bar title="示范工程与典型案例" left-arrow left-text="返回" @click-left="$back()" />
    <p class="filter-note muted">看看附近的农房、公共建筑用了哪些绿色建材，效果怎么样。</p>
    <van-empty v-if="error" image="error" :description="error" />
    <van-loading v-else-if="!items" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <van-empty v-else-if="!items.length" description="暂时没有案例" />
    <app-link v-for="c in items" :key="c.id" :to="'/h5/cases/' + c.id" class="product-card case-item">
      <img v-if="c.thumbnails.length" :src="c.thumbnails[0]" alt="" loading="lazy" width="96" height="96">
      <div class="product-body">
        <h2 class="product-name">{{ c.title }}</h2>
        <p class="product-meta">{{ c.place }}</p>
        <p class="small"><van-tag type="primary" class="services-status">{{ c.kind_label }}</van-tag>
          {{ c.building_type_label }}<span v-if="NEAR[c.nearness]" class="ok-text"> · {{ NEAR[c.nearness] }}</span></p>
      </div>
    </app-link>`,
};
