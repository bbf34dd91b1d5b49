// Dealer authorisations (经销授权): apply to list another enterprise's certified products.

import { api, chinaTime, errorText, isOwner, pagedList, toast } from "/assets/console/merchant/api.js";

const { reactive, ref, onMounted } = Vue;

const TAG = { pending: "warning", approved: "success", rejected: "danger", revoked: "info" };

export default {
  setup() {
    const form = reactive({ by: "certificate_number", value: "", document_no: "", note: "" });
    const formError = ref("");
    const busy = ref(false);

    const { items, cursor, error, load } = pagedList("/merchant/dealer-authorisations");
    async function apply() {
      busy.value = true;
      formError.value = "";
      try {
        const body = { [form.by]: form.value.trim(), note: form.note };
        if (form.document_no) body.document_no = form.document_no;
        await api.post("/merchant/dealer-authorisations", body);
        toast("已提交，等待主管部门审核");
        Object.assign(form, { value: "", document_no: "", note: "" });
        await load();
      } catch (e) {
        formError.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    onMounted(() => load());
    return { items, cursor, error, form, formError, busy, load, apply, chinaTime, TAG, owner: isOwner() };
  },
  template: `
    <h1>经销授权</h1>
    <p class="muted">经销其他企业的绿色建材产品，须先取得该企业的经销授权并经主管部门核准，才能用该企业的证书上架商品。</p>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">经销授权列表</caption>
        <thead><tr><th scope="col">企业</th><th scope="col">统一社会信用代码</th><th scope="col">授权书编号</th><th scope="col">说明</th>
          <th scope="col">申请时间</th><th scope="col">状态</th></tr></thead>
        <tbody>
          <tr v-for="a in items" :key="a.id">
            <td>{{ a.enterprise.name }}</td><td>{{ a.enterprise.credit_code }}</td><td>{{ a.document_no || '—' }}</td>
            <td>{{ a.note || '—' }}</td><td>{{ chinaTime(a.applied_at) }}</td>
            <td><el-tag :type="TAG[a.status] || 'info'" size="small">{{ a.status_label }}</el-tag>
              <div v-if="a.decision_note" class="hint">{{ a.decision_note }}</div></td>
          </tr>
          <tr v-if="!items.length"><td colspan="6" class="empty">还没有经销授权</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button @click="load(true)">加载更多</el-button></div>
    <div v-if="owner" class="panel narrow" style="margin-top:16px">
      <h2 style="margin-top:0">申请经销授权</h2>
      <el-alert v-if="formError" :title="formError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
      <el-form label-position="top" @submit.prevent="apply">
        <el-form-item label="按哪一项指明企业">
          <el-radio-group v-model="form.by">
            <el-radio value="certificate_number">该企业的任一证书编号</el-radio>
            <el-radio value="credit_code">企业统一社会信用代码</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-form-item :label="form.by === 'credit_code' ? '统一社会信用代码（18 位）' : '证书编号'"><el-input v-model="form.value" /></el-form-item>
        <el-form-item label="授权书编号（选填）"><el-input v-model="form.document_no" /></el-form-item>
        <el-form-item label="授权范围、期限等说明（选填）"><el-input v-model="form.note" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="busy">提交申请</el-button>
      </el-form>
    </div>`,
};
