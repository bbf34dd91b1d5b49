// One product in a list: picture (the small thumbnail when there is one), name, price
// (promotional price first), certificate badge.

import { yuan } from "/assets/shared/api.js";

export default {
  props: { product: { type: Object, required: true } },
  setup: () => ({ yuan }),
  template: `
    <app-link :to="'/h5/products/' + product.id" class="product-card">
      <img :src="product.thumbnail_url || product.image_url" alt="" loading="lazy" width="96" height="96">
      <div class="product-body">
        <h3 class="product-name">{{ product.name }}</h3>
        <p class="product-meta">{{ product.brand }} · {{ product.merchant.name }}</p>
        <p class="price">
          <van-tag v-if="product.promo_price_fen != null" type="danger" class="promo-tag">促销</van-tag>
          <strong>{{ yuan(product.promo_price_fen ?? product.price_fen) }}</strong>
          <small v-if="product.unit">/{{ product.unit }}</small>
          <del v-if="product.promo_price_fen != null"><span class="sr-only">原价</span>{{ yuan(product.price_fen) }}</del>
        </p>
        <van-tag v-if="product.certificate" :type="product.certificate.status === 'valid' ? 'success' : 'danger'"
          size="medium" plain>绿色建材认证 · {{ product.certificate.status_label }}</van-tag>
      </div>
    </app-link>`,
};
