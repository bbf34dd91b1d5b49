// 负面清单: products or enterprises taken out of the campaign (effective at once), with the
// history of lifted entries; list a product or an enterprise with a reason, lift an entry.

import { api, all, chinaTime, errorText, pagedList, toast } from "/assets/console/admin/api.js";
import { route } from "/assets/console/admin/router.js";
import ProductPicker from "/assets/console/admin/pages/products-picker.js";

const { reactive, ref, onMounted } = Vue;

const FILTERS = [["", "全部（含已解除）"], ["true", "生效中"], ["false", "已解除"]];

export default {
  components: { ProductPicker },
  setup() {
    const active = ref("");
    const { items, cursor, loading, error, load } = pagedList("/admin/negative-list",
      { params: () => ({ active: active.value }) });
    const form = reactive({ target: "product", product_id: route.query.get("product") || "", enterprise_id: "",
      reason: "", source_complaint_id: "" });
    const enterpriseQuery = ref("");
    const enterprises = ref([]);
    const formError = ref("");
    const busy = ref(false);
    const lifting = ref(null);
    const liftReason = ref("");
    const liftError = ref("");

    async function findEnterprises() {
      formError.value = "";
      try {
        enterprises.value = await all("/admin/enterprises", { q: enterpriseQuery.value.trim() }, 100);
        if (!enterprises.value.length) formError.value = "没有找到名称含该文字的企业";
      } catch (e) {
        formError.value = errorText(e);
      }
    }
    async function add() {
      formError.value = "";
      const id = form.target === "product" ? form.product_id : form.enterprise_id;
      if (!id) { formError.value = form.target === "product" ? "请选择商品" : "请先查找并选择企业"; return; }
      if (form.reason.trim().length < 2) { formError.value = "请填写列入原因（至少 2 个字）"; return; }
      const body = { [`${form.target}_id`]: Number(id), reason: form.reason.trim() };
      if (form.source_complaint_id) body.source_complaint_id = Number(form.source_complaint_id);
      busy.value = true;
      try {
        await api.post("/admin/negative-list", body);
        toast("已列入负面清单，相关商品已立即停止参加活动");
        Object.assign(form, { reason: "", source_complaint_id: "" });
        await load();
      } catch (e) {
        formError.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    function startLift(entry) {
      lifting.value = entry;
      liftReason.value = "";
      liftError.value = "";
    }
    async function lift() {
      if (liftReason.value.trim().length < 2) { liftError.value = "请填写解除原因（至少 2 个字）"; return; }
      try {
        const updated = await api.post(`/admin/negative-list/${lifting.value.id}/lift`, { reason: liftReason.value.trim() });
        items.value = items.value.map((e) => (e.id === updated.id ? updated : e));
        lifting.value = null;
        toast("已解除");
      } catch (e) {
        liftError.value = errorText(e);
      }
    }
    const targetName = (e) => (e.target === "product" ? (e.product ? e.product.name : "商品") : (e.enterprise ? e.enterprise.name : "企业"));
    onMounted(() => load());
    return { active, items, cursor, loading, error, load, form, enterpriseQuery, enterprises, formError, busy, findEnterprises, add,
      lifting, liftReason, liftError, startLift, lift, targetName, chinaTime, FILTERS };
  },
  template: `
    <h1>负面清单</h1>
    <p class="muted">列入负面清单的商品（或企业的全部商品）立即退出活动：村民端不再展示，不能用券、不能申请补贴。解除后恢复，记录永久保留。</p>
    <div class="toolbar">
      <label for="negative-active">显示</label>
      <select id="negative-active" class="native" style="width:auto" v-model="active" @change="load()">
        <option v-for="f in FILTERS" :key="f[0]" :value="f[0]">{{ f[1] }}</option>
      </select>
    </div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">负面清单</caption>
        <thead><tr><th scope="col">对象</th><th scope="col">列入原因</th><th scope="col">列入时间</th><th scope="col">状态</th>
          <th scope="col">操作</th></tr></thead>
        <tbody>
          <tr v-for="e in items" :key="e.id" :data-entry="e.id">
            <td>{{ e.target === 'product' ? '商品' : '企业' }}：{{ targetName(e) }}
              <div class="hint">{{ e.target === 'product' && e.product ? e.product.shop.name : e.enterprise ? e.enterprise.credit_code : '' }}</div></td>
            <td>{{ e.reason }}<div v-if="e.source_complaint_id" class="hint">来源投诉 #{{ e.source_complaint_id }}</div></td>
            <td>{{ chinaTime(e.listed_at) }}</td>
            <td><el-tag :type="e.active ? 'danger' : 'info'" size="small">{{ e.active ? '生效中' : '已解除' }}</el-tag>
              <div v-if="e.lifted_at" class="hint">{{ chinaTime(e.lifted_at) }} 解除：{{ e.lift_reason }}</div></td>
            <td class="actions"><el-button v-if="e.active" size="small" type="primary" plain @click="startLift(e)">解除</el-button></td>
          </tr>
          <tr v-if="!loading && !items.length && !error"><td colspan="5" class="empty">负面清单中没有记录</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>
    <div class="panel narrow" style="margin-top:20px">
      <h2 style="margin-top:0">列入负面清单</h2>
      <el-alert v-if="formError" :title="formError" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
      <el-form label-position="top" @submit.prevent="add">
        <el-form-item label="列入对象">
          <el-radio-group v-model="form.target">
            <el-radio value="product">单个商品</el-radio>
            <el-radio value="enterprise">企业（其全部商品）</el-radio>
          </el-radio-group>
        </el-form-item>
        <div v-if="form.target === 'product'" class="form-block"><product-picker v-model="form.product_id" id-prefix="negative-product" /></div>
        <div v-else class="form-block">
          <div class="toolbar" style="align-items:flex-end;margin-bottom:6px">
            <div style="flex:1"><label for="negative-enterprise-q" class="hint" style="display:block">企业名称（可填部分）</label>
              <input id="negative-enterprise-q" v-model="enterpriseQuery" class="native" @keydown.enter.prevent="findEnterprises"></div>
            <el-button @click="findEnterprises">查找企业</el-button>
          </div>
          <label for="negative-enterprise" class="hint" style="display:block">企业</label>
          <select id="negative-enterprise" class="native" v-model="form.enterprise_id">
            <option value="">请选择企业</option>
            <option v-for="en in enterprises" :key="en.id" :value="String(en.id)">{{ en.name }}（{{ en.credit_code }}）</option>
          </select>
        </div>
        <el-form-item label="列入原因（商家会看到）"><el-input v-model="form.reason" type="textarea" :rows="2" maxlength="255" /></el-form-item>
        <el-form-item label="来源投诉编号（选填，填数字编号）"><el-input v-model="form.source_complaint_id" inputmode="numeric" /></el-form-item>
        <el-button type="danger" native-type="submit" :loading="busy">列入负面清单</el-button>
      </el-form>
    </div>
    <el-dialog :model-value="!!lifting" @update:model-value="(v) => { if (!v) lifting = null }" title="解除负面清单" width="min(460px, 94vw)">
      <p v-if="lifting">解除“{{ targetName(lifting) }}”的负面清单记录后，相关商品恢复参加活动。</p>
      <el-alert v-if="liftError" :title="liftError" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
      <el-form label-position="top" @submit.prevent="lift">
        <el-form-item label="解除原因"><el-input v-model="liftReason" maxlength="255" /></el-form-item>
        <el-button type="primary" native-type="submit">确认解除</el-button>
        <el-button @click="lifting = null">取消</el-button>
      </el-form>
    </el-dialog>`,
};
