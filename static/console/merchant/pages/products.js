// The shop's products in every status: submit for review, delist, open to edit.

import { api, errorText, pagedList, toast, yuan } from "/assets/console/merchant/api.js";
import { BASE, go } from "/assets/console/merchant/router.js";

const { ref, onMounted } = Vue;

const STATUSES = [["", "全部"], ["draft", "草稿"], ["pending", "待审核"], ["listed", "已上架"],
  ["rejected", "未通过"], ["delisted", "已下架"]];
export const STATUS_TAG = { draft: "info", pending: "warning", listed: "success", rejected: "danger", delisted: "info" };

export default {
  setup() {
    const status = ref("");
    const { items, cursor, loading, error, load } = pagedList("/merchant/products",
      { params: () => ({ status: status.value }) });
    async function act(product, action, done) {
      try {
        const updated = await api.post(`/merchant/products/${product.id}/${action}`);
        items.value = items.value.map((p) => (p.id === updated.id ? updated : p));
        toast(done);
      } catch (e) {
        toast(errorText(e), "error");
      }
    }
    onMounted(() => load());
    return { items, cursor, status, loading, error, load, act, yuan, STATUSES, STATUS_TAG, BASE, go };
  },
  template: `
    <h1>商品</h1>
    <div class="toolbar">
      <el-button type="primary" @click="go(BASE + '/products/new')">新建商品</el-button>
      <label for="product-status" class="muted">状态</label>
      <select id="product-status" class="native" style="width:auto" v-model="status" @change="load()">
        <option v-for="s in STATUSES" :key="s[0]" :value="s[0]">{{ s[1] }}</option>
      </select>
    </div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">商品列表</caption>
        <thead><tr><th scope="col">照片</th><th scope="col">名称</th><th scope="col">分类</th><th scope="col" class="num">价格</th>
          <th scope="col">绿色建材认证</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead>
        <tbody>
          <tr v-for="p in items" :key="p.id">
            <td><img v-if="p.images.length" :src="p.images[0]" :alt="p.name + ' 的照片'" class="thumb-sm"><span v-else class="muted">无照片</span></td>
            <td><app-link :to="BASE + '/products/' + p.id">{{ p.name }}</app-link><div class="hint">{{ p.brand }} {{ p.model_spec }}</div></td>
            <td>{{ p.category.name }}</td>
            <td class="num">{{ yuan(p.price_fen) }}/{{ p.unit }}</td>
            <td><template v-if="p.certificate">{{ p.certificate.number }}<div class="hint">{{ p.certificate.status_label }}</div></template>
              <span v-else class="muted">未关联证书</span></td>
            <td><el-tag :type="STATUS_TAG[p.status]" size="small">{{ p.status_label }}</el-tag>
              <div v-if="p.review_note" class="hint">{{ p.review_note }}</div></td>
            <td class="actions">
              <el-button size="small" @click="go(BASE + '/products/' + p.id)">编辑</el-button>
              <el-button v-if="['draft','rejected','delisted'].includes(p.status)" size="small" type="primary" plain
                @click="act(p, 'submit', '已提交审核')">提交审核</el-button>
              <el-button v-if="['listed','pending'].includes(p.status)" size="small" type="warning" plain
                @click="act(p, 'delist', p.status === 'listed' ? '已下架' : '已撤回')">{{ p.status === 'listed' ? '下架' : '撤回' }}</el-button>
            </td>
          </tr>
          <tr v-if="!loading && !items.length"><td colspan="7" class="empty">没有商品</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>`,
};
