// Product detail: pictures, price and promotional price, the certificate badge, the merchant.

import { api, yuan } from "/assets/shared/api.js";

export default {
  props: { id: { type: String, required: true } },
  setup(props) {
    const product = Vue.ref(null);
    const error = Vue.ref("");
    api.product(props.id).then((p) => { product.value = p; document.title = `${p.name} · 绿建下乡`; })
      .catch((e) => { error.value = e.status === 404 ? "这个商品不存在或已下架" : e.friendly; });
    return { product, error, yuan };
  },
  template: `
    <van-nav-bar title="商品详情" left-arrow left-text="返回" @click-left="$back()" />
    <van-empty v-if="error" image="error" :description="error" />
    <van-loading v-else-if="!product" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <article v-else class="product-detail">
      <img v-if="product.images.length" :src="product.images[0]" :alt="product.name" class="product-hero">
      <section class="card">
        <h1 class="product-title">{{ product.name }}</h1>
        <p class="price big">
          <strong>{{ yuan(product.promo_price_fen ?? product.price_fen) }}</strong>
          <small v-if="product.unit">/{{ product.unit }}</small>
          <van-tag v-if="product.promo_price_fen != null" type="danger" size="medium">促销价</van-tag>
          <del v-if="product.promo_price_fen != null">原价 {{ yuan(product.price_fen) }}</del>
        </p>
        <p class="muted">{{ product.brand }}<template v-if="product.model_spec"> · {{ product.model_spec }}</template></p>
      </section>
      <section class="card cert-badge" :class="product.certificate && product.certificate.status === 'valid' ? 'ok' : 'bad'">
        <template v-if="product.certificate">
          <h2><van-icon :name="product.certificate.status === 'valid' ? 'passed' : 'warning-o'" />
            绿色建材认证：{{ product.certificate.status_label }}</h2>
          <p>{{ product.certificate.star }} 星级 · 证书编号 {{ product.certificate.number }}</p>
          <p class="muted">发证机构：{{ product.certificate.issuer }}，有效期至 {{ product.certificate.valid_until }}</p>
          <app-link :to="'/h5/certificates/' + encodeURIComponent(product.certificate.number)" class="text-link">查验这张证书 ›</app-link>
        </template>
        <h2 v-else><van-icon name="info-o" /> 此商品未关联绿色建材认证证书</h2>
        <p v-if="product.eligibility" class="muted">{{ product.eligibility.message }}</p>
      </section>
      <section class="card">
        <h2>商家</h2>
        <p><strong>{{ product.merchant.name }}</strong></p>
        <p v-if="product.merchant.address" class="muted">地址：{{ product.merchant.address }}</p>
      </section>
      <section v-if="product.description" class="card">
        <h2>商品介绍</h2>
        <p>{{ product.description }}</p>
      </section>
    </article>`,
};
