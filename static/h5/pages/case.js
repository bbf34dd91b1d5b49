// One case: where, what kind of building, photos, measured results, and the products and
// packages used (links, to buy the same).

import { api, yuan } from "/assets/shared/api.js";

export default {
  props: { id: { type: String, required: true } },
  setup(props) {
    const data = Vue.ref(null);
    const error = Vue.ref("");
    api.get(`/cases/${encodeURIComponent(props.id)}`).then((d) => { data.value = d; })
      .catch((e) => { error.value = e.status === 404 ? "没有找到这个案例" : e.friendly; });
    const percent = (bp) => `${(bp / 100).toFixed(bp % 100 ? 1 : 0)}%`;
    return { data, error, yuan, percent };
  },
  template: `
    <van-nav-bar title="案例详情" left-arrow left-text="返回" @click-left="$back()" />
    <van-empty v-if="error" image="error" :description="error" />
    <van-loading v-else-if="!data" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <template v-else>
      <img v-for="(src, n) in data.case.photos" :key="src" :src="src" class="product-hero case-photo"
        :alt="data.case.title + ' 现场照片 ' + (n + 1)" :loading="n ? 'lazy' : 'eager'">
      <section class="card">
        <h1 class="product-title">{{ data.case.title }}</h1>
        <p><van-tag type="primary" size="medium" class="services-status">{{ data.case.kind_label }}</van-tag></p>
        <dl class="facts case-facts">
          <dt>地点</dt><dd>{{ data.case.place }}</dd>
          <dt>建筑类型</dt><dd>{{ data.case.building_type_label }}</dd>
          <template v-if="data.case.completed_on"><dt>完工日期</dt><dd>{{ data.case.completed_on }}</dd></template>
          <template v-if="data.case.construction_days != null"><dt>施工天数</dt><dd>{{ data.case.construction_days }} 天</dd></template>
          <template v-if="data.case.cost_fen != null"><dt>总造价</dt><dd>{{ yuan(data.case.cost_fen) }}</dd></template>
          <template v-if="data.case.energy_saving_rate_bp != null"><dt>节能率</dt><dd>{{ percent(data.case.energy_saving_rate_bp) }}</dd></template>
          <template v-if="data.case.energy_saved_kwh_per_year != null"><dt>年节电</dt><dd>约 {{ data.case.energy_saved_kwh_per_year }} 度</dd></template>
        </dl>
        <p>{{ data.case.summary }}</p>
      </section>
      <section v-if="data.packages.length" class="card case-packages">
        <h2>用的套餐（可以买同样的）</h2>
        <p v-for="p in data.packages" :key="p.id">
          <app-link :to="'/h5/packages/' + p.id" class="text-link">{{ p.name }}</app-link>
          <span class="price"> {{ yuan(p.price_fen) }}</span>
          <span v-if="!p.on_sale" class="muted small">（暂未在售）</span></p>
      </section>
      <section v-if="data.products.length" class="card case-products">
        <h2>用的建材（可以买同样的）</h2>
        <p v-for="p in data.products" :key="p.id">
          <app-link :to="'/h5/products/' + p.id" class="text-link">{{ p.name }}</app-link>
          <span class="muted small"> · {{ p.brand }}</span>
          <span class="price"> {{ yuan(p.price_fen) }}/{{ p.unit }}</span>
          <span v-if="!p.on_sale" class="muted small">（暂未在售）</span></p>
      </section>
      <section v-if="data.shops.length || data.enterprises.length" class="card">
        <h2>参与单位</h2>
        <p v-if="data.shops.length">店铺：{{ data.shops.map((s) => s.name).join('、') }}</p>
        <p v-if="data.enterprises.length">生产企业：{{ data.enterprises.map((s) => s.name).join('、') }}</p>
      </section>
    </template>`,
};
