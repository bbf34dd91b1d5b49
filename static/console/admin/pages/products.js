// 商品审核: the review queue of the officer's region (pending products, and listed ones whose
// certificate needs a look), other statuses on demand; each opens the product page to decide.

import { pagedList, chinaTime, yuan } from "/assets/console/admin/api.js";
import { BASE, go, route } from "/assets/console/admin/router.js";

const { reactive, onMounted } = Vue;

const STATUSES = [["review", "待审核（含证书存疑）"], ["pending", "待审核"], ["listed", "已上架"], ["rejected", "已驳回"],
  ["delisted", "已下架"], ["draft", "草稿"], ["all", "全部"]];
export const PRODUCT_TAG = { pending: "warning", listed: "success", rejected: "danger", delisted: "info", draft: "info" };

export default {
  setup() {
    const filter = reactive({ status: "review", shop: route.query.get("shop") || "" });
    const { items, cursor, loading, error, load } = pagedList("/admin/products",
      { params: () => ({ status: filter.status, shop_id: filter.shop }) });
    function allShops() {
      filter.shop = "";
      go(`${BASE}/products`, { replace: true });
      load();
    }
    onMounted(() => load());
    return { filter, items, cursor, loading, error, load, allShops, chinaTime, yuan, STATUSES, PRODUCT_TAG, BASE };
  },
  template: `
    <h1>商品审核</h1>
    <p class="muted">本辖区店铺提交审核的商品，以及证书可能不符、需要复核的在售商品。点商品名称查看详情并审核。</p>
    <div class="toolbar">
      <label for="product-status">状态</label>
      <select id="product-status" class="native" style="width:auto" v-model="filter.status" @change="load()">
        <option v-for="s in STATUSES" :key="s[0]" :value="s[0]">{{ s[1] }}</option>
      </select>
      <span v-if="filter.shop" class="muted">只看店铺 #{{ filter.shop }} 的商品
        <el-button size="small" @click="allShops">看全部店铺</el-button></span>
    </div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">商品审核列表</caption>
        <thead><tr><th scope="col">商品</th><th scope="col">店铺</th><th scope="col">分类</th><th scope="col" class="num">价格</th>
          <th scope="col">绿色建材认证</th><th scope="col">提交时间</th><th scope="col">状态</th></tr></thead>
        <tbody>
          <tr v-for="p in items" :key="p.id" :data-product="p.id">
            <td><app-link :to="BASE + '/products/' + p.id">{{ p.name }}</app-link><div class="hint">{{ p.brand }} {{ p.model_spec }}</div></td>
            <td>{{ p.shop.name }}</td>
            <td>{{ p.category.name }}</td>
            <td class="num">{{ yuan(p.price_fen) }}/{{ p.unit }}</td>
            <td><template v-if="p.certificate">{{ p.certificate.number }}（{{ p.certificate.status_label }}）
                <div v-if="p.certificate_review" class="hint">{{ p.certificate_review.message }}</div></template>
              <span v-else class="muted">未关联证书</span>
              <div v-if="p.certificate_flag_label" class="hint" style="color:#8f1e18">⚠ {{ p.certificate_flag_label }}</div></td>
            <td>{{ chinaTime(p.created_at) }}</td>
            <td><el-tag :type="PRODUCT_TAG[p.status] || 'info'" size="small">{{ p.status_label }}</el-tag></td>
          </tr>
          <tr v-if="!loading && !items.length && !error"><td colspan="7" class="empty">没有需要处理的商品</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>`,
};
