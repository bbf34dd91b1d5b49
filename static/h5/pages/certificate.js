// Certificate check: is this number a real, valid green building material certificate?

import { api } from "/assets/shared/api.js";
import { go } from "/assets/h5/router.js";

export default {
  props: { number: { type: String, default: "" } },
  setup(props) {
    const typed = Vue.ref(props.number);
    const result = Vue.ref(null);
    const notFound = Vue.ref(false);
    const error = Vue.ref("");
    const loading = Vue.ref(Boolean(props.number));
    if (props.number) {
      api.certificate(props.number).then((c) => { result.value = c; })
        .catch((e) => {
          if (e.code === "certificate_not_found") notFound.value = true;
          else error.value = e.friendly;
        })
        .finally(() => { loading.value = false; });
    }
    const check = () => {
      const number = typed.value.trim().toUpperCase();
      if (number) go(`/h5/certificates/${encodeURIComponent(number)}`);
    };
    return { typed, result, notFound, error, loading, check };
  },
  template: `
    <van-nav-bar title="查认证证书" left-arrow left-text="返回" @click-left="$back()" />
    <form class="card" @submit.prevent="check">
      <van-field v-model="typed" label="证书编号" placeholder="例如 LB2026GJ0433" clearable
        autocomplete="off" label-align="top" />
      <van-button type="primary" block native-type="submit" class="big-button">查验</van-button>
    </form>
    <van-loading v-if="loading" class="page-loading" size="32" vertical>正在查验…</van-loading>
    <van-notice-bar v-if="error" color="#a61b1b" background="#fdecec" :text="error" />
    <section v-if="notFound" class="card verdict bad" role="status">
      <h2><van-icon name="close" /> 查无此证书</h2>
      <p>编号 {{ number }} 不在绿色建材认证证书库中。请核对编号是否抄错。</p>
      <div class="todo">
        <h3>怎么办？</h3>
        <p>如果商家声称这是绿色建材认证证书，可能是虚假宣传：请保留购买凭证，拨打 <a href="tel:12315">12315</a> 投诉举报。</p>
      </div>
    </section>
    <section v-if="result" class="card verdict" :class="result.status === 'valid' ? 'ok' : 'bad'" role="status">
      <h2 v-if="result.status === 'valid'"><van-icon name="passed" /> 真实有效的绿色建材认证证书</h2>
      <h2 v-else><van-icon name="warning-o" /> 证书真实，但现在{{ result.status_label }}，不能作为有效认证</h2>
      <van-cell-group>
        <van-cell title="证书编号" :value="result.number" />
        <van-cell title="状态" :value="result.status_label" />
        <van-cell title="星级" :value="result.star + ' 星'" />
        <van-cell title="认证产品" :label="result.product" />
        <van-cell title="生产企业" :label="result.enterprise && result.enterprise.name" />
        <van-cell title="发证机构" :label="result.issuer" />
        <van-cell title="有效期至" :value="result.valid_until" />
      </van-cell-group>
      <ul v-if="result.warnings && result.warnings.length" class="warnings">
        <li v-for="w in result.warnings" :key="w.code || w"><van-icon name="warning-o" /> {{ w.message || w }}</li>
      </ul>
      <div v-if="result.listed_products && result.listed_products.length">
        <h3>在售的认证商品</h3>
        <van-cell v-for="p in result.listed_products" :key="p.id" :title="p.name" :label="p.merchant"
          is-link :url="'/h5/products/' + p.id" />
      </div>
      <div v-if="result.status !== 'valid'" class="todo">
        <h3>怎么办？</h3>
        <p>此证书现在不能证明产品是绿色建材。购买前请向商家问清楚；如被误导购买，可拨打 <a href="tel:12315">12315</a> 投诉举报。</p>
      </div>
    </section>`,
};
