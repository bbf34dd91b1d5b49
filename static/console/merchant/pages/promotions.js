// The shop's promotions: list, create (percent off or a fixed price per product), end.

import { api, chinaLocal, chinaTime, daysFromNow, errorText, isOwner, localToIso, pagedList, toast, toFen,
  yuan } from "/assets/console/merchant/api.js";
import ProductPicker from "/assets/console/merchant/pages/product-picker.js";

const { reactive, ref, onMounted } = Vue;

const TAG = { active: "success", suspended: "danger", ended: "info" };

function blank() {
  return { title: "", kind: "percent", percent: "10", starts: chinaLocal(), ends: daysFromNow(30), products: [], prices: {} };
}

export default {
  components: { ProductPicker },
  setup() {
    const open = ref(false);
    const form = reactive(blank());
    const formError = ref("");
    const busy = ref(false);

    const { items, cursor, error, load } = pagedList("/merchant/promotions");
    function describe(p) {
      return p.kind === "percent" ? `${(10000 - p.percent_off_bp) / 1000} 折` : "一口价";
    }
    async function create() {
      formError.value = "";
      const body = { title: form.title, kind: form.kind, starts_at: localToIso(form.starts), ends_at: localToIso(form.ends) };
      if (form.kind === "percent") {
        const pct = Number(form.percent);
        if (!(pct >= 1 && pct <= 99)) { formError.value = "优惠比例应为 1 到 99"; return; }
        body.percent_off_bp = Math.round(pct * 100);
        body.items = form.products.map((id) => ({ product_id: id }));
      } else {
        body.items = form.products.map((id) => ({ product_id: id, promo_price_fen: toFen(form.prices[id]) }));
      }
      busy.value = true;
      try {
        await api.post("/merchant/promotions", body);
        toast("促销已创建");
        open.value = false;
        Object.assign(form, blank());
        await load();
      } catch (e) {
        formError.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    async function end(p) {
      try {
        await ElementPlus.ElMessageBox.confirm(`现在结束促销「${p.title}」？结束后不能恢复。`, "结束促销",
          { confirmButtonText: "结束", cancelButtonText: "取消", type: "warning" });
      } catch { return; }
      try {
        const updated = await api.post(`/merchant/promotions/${p.id}/end`);
        items.value = items.value.map((x) => (x.id === updated.id ? updated : x));
        toast("促销已结束");
      } catch (e) {
        toast(errorText(e), "error");
      }
    }
    onMounted(() => load());
    return { items, cursor, error, open, form, formError, busy, load, create, end, describe, chinaTime, yuan, TAG,
      owner: isOwner() };
  },
  template: `
    <h1>促销活动</h1>
    <div class="toolbar"><el-button v-if="owner" type="primary" @click="open = true">新建促销</el-button>
      <span class="muted">促销只能包含本店符合活动条件的已上架商品；可与优惠券同时使用。</span></div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">促销列表</caption>
        <thead><tr><th scope="col">名称</th><th scope="col">优惠</th><th scope="col">商品数</th><th scope="col">开始</th><th scope="col">结束</th>
          <th scope="col">状态</th><th scope="col">操作</th></tr></thead>
        <tbody>
          <tr v-for="p in items" :key="p.id">
            <td>{{ p.title }}</td><td>{{ describe(p) }}</td><td>{{ p.items.length }}</td>
            <td>{{ chinaTime(p.starts_at) }}</td><td>{{ chinaTime(p.ends_at) }}</td>
            <td><el-tag :type="TAG[p.status]" size="small">{{ p.status_label }}</el-tag>
              <div v-if="p.suspended_reason" class="hint">{{ p.suspended_reason }}</div></td>
            <td class="actions"><el-button v-if="owner && p.status === 'active'" size="small" type="warning" plain @click="end(p)">结束</el-button></td>
          </tr>
          <tr v-if="!items.length"><td colspan="7" class="empty">还没有促销</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button @click="load(true)">加载更多</el-button></div>
    <el-dialog v-model="open" title="新建促销" width="min(600px, 96vw)">
      <el-alert v-if="formError" :title="formError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
      <el-form label-position="top" @submit.prevent="create">
        <el-form-item label="促销名称"><el-input v-model="form.title" /></el-form-item>
        <el-form-item label="促销方式">
          <el-radio-group v-model="form.kind">
            <el-radio value="percent">按比例打折</el-radio>
            <el-radio value="fixed_price">一口价（逐个商品填促销价）</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-form-item v-if="form.kind === 'percent'" label="优惠比例（%，例如 10 即 9 折）"><el-input v-model="form.percent" inputmode="numeric" /></el-form-item>
        <el-form-item label="开始时间（北京时间）" for="promo-starts"><input id="promo-starts" class="native" type="datetime-local" v-model="form.starts"></el-form-item>
        <el-form-item label="结束时间（北京时间）" for="promo-ends"><input id="promo-ends" class="native" type="datetime-local" v-model="form.ends"></el-form-item>
        <el-form-item><product-picker v-model="form.products" legend="参加促销的商品" :prices="form.kind === 'fixed_price' ? form.prices : null" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="busy">创建促销</el-button>
        <el-button @click="open = false">取消</el-button>
      </el-form>
    </el-dialog>`,
};
