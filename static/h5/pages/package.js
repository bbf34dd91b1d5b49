// One solution package: its products (each a link) with quantities, its services, the price,
// the subsidy estimate and the shop that provides it.

import { api, token, yuan } from "/assets/shared/api.js";

export default {
  props: { id: { type: String, required: true } },
  setup(props) {
    const data = Vue.ref(null);
    const error = Vue.ref("");
    const loggedIn = Boolean(token.get());
    api.get(`/packages/${encodeURIComponent(props.id)}`).then((d) => { data.value = d; })
      .catch((e) => { error.value = e.status === 404 ? "没有找到这个套餐" : e.friendly; });
    return { data, error, yuan, loggedIn };
  },
  template: `
    <van-nav-bar title="套餐详情" left-arrow left-text="返回" @click-left="$back()" />
    <van-empty v-if="error" image="error" :description="error" />
    <van-loading v-else-if="!data" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <template v-else>
      <section class="card package-head">
        <h1 class="product-title">{{ data.package.name }}</h1>
        <p><van-tag type="primary" size="medium" class="services-status">{{ data.package.scenario }}</van-tag></p>
        <p class="price big"><strong>{{ yuan(data.package.price_fen) }}</strong> <small>套餐价（含下列建材与服务）</small></p>
        <p>{{ data.package.description }}</p>
        <p v-if="!data.valid_in_region" class="error-text">这个套餐不适用于您所在的地区。</p>
      </section>
      <section class="card subsidy-card package-subsidy">
        <h2>补贴估算</h2>
        <p v-if="data.subsidy_estimate_fen > 0">预计可申请补贴 <strong class="money">{{ yuan(data.subsidy_estimate_fen) }}</strong></p>
        <p v-else>{{ loggedIn ? '您所在地区暂无可用补贴，或这些建材不在补贴范围内。' : '登录并填写所在地区后，可看到您能领取的补贴。' }}</p>
        <p class="muted small">按各建材在套餐价中的分摊金额估算，以实际审核为准。</p>
      </section>
      <section class="card">
        <h2>包含的建材</h2>
        <ul class="package-lines">
          <li v-for="i in data.items" :key="i.product_id">
            <app-link :to="'/h5/products/' + i.product_id" class="text-link">{{ i.name }}</app-link>
            <span class="muted"> · {{ i.brand }}</span>
            <p class="small">数量：{{ i.quantity }}{{ i.unit }} · 单价 {{ yuan(i.list_price_fen) }}/{{ i.unit }}</p>
            <p class="small" :class="i.eligible ? 'ok-text' : 'error-text'">{{ i.eligibility_message }}
              <span v-if="i.subsidy_estimate_fen > 0"> · 补贴约 {{ yuan(i.subsidy_estimate_fen) }}</span></p>
          </li>
        </ul>
      </section>
      <section v-if="data.package.services.length" class="card">
        <h2>包含的服务</h2>
        <ul class="package-services">
          <li v-for="(s, n) in data.package.services" :key="n">
            <van-tag plain type="primary" size="medium">{{ s.kind_label }}</van-tag> {{ s.name }}</li>
        </ul>
      </section>
      <section class="card">
        <h2>提供店铺</h2>
        <p>{{ data.package.shop_name }}</p>
        <p v-if="data.package.partner_shop_ids.length" class="muted small">另有 {{ data.package.partner_shop_ids.length }} 家合作店铺参与施工或设计</p>
        <app-link to="/h5/services" class="text-link">预约上门测量 ›</app-link>
      </section>
    </template>`,
};
