// 方案: solution packages (products + services at one price), valid in the villager's region.

import { api, yuan } from "/assets/shared/api.js";

export default {
  setup() {
    const items = Vue.ref(null);
    const error = Vue.ref("");
    api.get("/packages", { limit: 50 }).then((page) => { items.value = page.items; })
      .catch((e) => { error.value = e.friendly; });
    return { items, error, yuan };
  },
  template: `
    <van-nav-bar title="系统解决方案" left-arrow left-text="返回" @click-left="$back()" />
    <p class="filter-note muted">建材加上门测量、设计、安装，一个价格全包。</p>
    <van-empty v-if="error" image="error" :description="error" />
    <van-loading v-else-if="!items" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <van-empty v-else-if="!items.length" description="您所在地区暂时没有套餐" />
    <app-link v-for="p in items" :key="p.id" :to="'/h5/packages/' + p.id" class="card package-item">
      <h2>{{ p.name }}</h2>
      <p><van-tag type="primary" size="medium" class="services-status">{{ p.scenario }}</van-tag></p>
      <p class="price"><strong>{{ yuan(p.price_fen) }}</strong> <small>套餐价</small></p>
      <p class="muted small">{{ p.items.map((i) => i.product_name + ' ×' + i.quantity + i.unit).join('、') }}</p>
      <p v-if="p.services.length" class="muted small">含服务：{{ p.services.map((s) => s.name).join('、') }}</p>
      <p class="muted small">{{ p.shop_name }}</p>
    </app-link>`,
};
