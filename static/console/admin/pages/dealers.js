// 经销授权: dealers' applications to sell another enterprise's certified products, in the
// officer's region; approve, reject (reason) or revoke an approved one (reason).

import { api, chinaTime, errorText, pagedList, toast } from "/assets/console/admin/api.js";

const { ref, onMounted } = Vue;

const STATUSES = [["applied", "待核准"], ["approved", "已核准"], ["rejected", "已驳回"], ["revoked", "已撤销"], ["", "全部"]];
const TAG = { applied: "warning", approved: "success", rejected: "danger", revoked: "info" };
const ACTIONS = {
  approve: ["核准", false, "已核准，该店可用这家企业的证书上架商品"],
  reject: ["驳回", true, "已驳回"],
  revoke: ["撤销授权", true, "已撤销，该店相关商品会重新核对证书"],
};
const ALLOWED = { applied: ["approve", "reject"], approved: ["revoke"] };

export default {
  setup() {
    const status = ref("applied");
    const { items, cursor, loading, error, load } = pagedList("/admin/dealer-authorisations",
      { params: () => ({ status: status.value }) });
    const deciding = ref(null); // { row, action }
    const note = ref("");
    const decideError = ref("");
    const busy = ref(false);

    function start(row, action) {
      deciding.value = { row, action };
      note.value = "";
      decideError.value = "";
    }
    async function decide() {
      const { row, action } = deciding.value;
      if (ACTIONS[action][1] && note.value.trim().length < 2) {
        decideError.value = "请填写原因（至少 2 个字），商家会看到";
        return;
      }
      busy.value = true;
      try {
        const updated = await api.post(`/admin/dealer-authorisations/${row.id}/decision`,
          { action, note: note.value.trim() || null });
        items.value = items.value.map((a) => (a.id === updated.id ? updated : a));
        deciding.value = null;
        toast(ACTIONS[action][2]);
      } catch (e) {
        decideError.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    onMounted(() => load());
    return { status, items, cursor, loading, error, load, deciding, note, decideError, busy, start, decide, chinaTime,
      STATUSES, TAG, ACTIONS, ALLOWED };
  },
  template: `
    <h1>经销授权</h1>
    <p class="muted">经销商须取得获证企业的授权并经主管部门核准，才能用该企业的证书上架商品。请核对授权书后处理。</p>
    <div class="toolbar">
      <label for="dealer-status">状态</label>
      <select id="dealer-status" class="native" style="width:auto" v-model="status" @change="load()">
        <option v-for="s in STATUSES" :key="s[0]" :value="s[0]">{{ s[1] }}</option>
      </select>
    </div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">经销授权列表</caption>
        <thead><tr><th scope="col">店铺</th><th scope="col">授权企业</th><th scope="col">授权书编号</th><th scope="col">说明</th>
          <th scope="col">申请时间</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead>
        <tbody>
          <tr v-for="a in items" :key="a.id" :data-authorisation="a.id">
            <td>{{ a.shop.name }}<div class="hint">{{ a.shop.region_code }}</div></td>
            <td>{{ a.enterprise.name }}<div class="hint">{{ a.enterprise.credit_code }}</div></td>
            <td>{{ a.document_no || '—' }}</td><td>{{ a.note || '—' }}</td><td>{{ chinaTime(a.applied_at) }}</td>
            <td><el-tag :type="TAG[a.status] || 'info'" size="small">{{ a.status_label }}</el-tag>
              <div v-if="a.decision_note" class="hint">{{ a.decision_note }}</div></td>
            <td class="actions">
              <el-button v-for="act in (ALLOWED[a.status] || [])" :key="act" size="small"
                :type="ACTIONS[act][1] ? 'danger' : 'primary'" plain @click="start(a, act)">{{ ACTIONS[act][0] }}</el-button>
            </td>
          </tr>
          <tr v-if="!loading && !items.length && !error"><td colspan="7" class="empty">没有符合条件的经销授权</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>
    <el-dialog :model-value="!!deciding" @update:model-value="(v) => { if (!v) deciding = null }"
      :title="deciding ? ACTIONS[deciding.action][0] + '经销授权' : ''" width="min(480px, 94vw)">
      <p v-if="deciding">{{ deciding.row.shop.name }} 经销 {{ deciding.row.enterprise.name }} 的产品</p>
      <el-alert v-if="decideError" :title="decideError" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
      <el-form v-if="deciding" label-position="top" @submit.prevent="decide">
        <el-form-item :label="ACTIONS[deciding.action][1] ? '原因（必填，商家会看到）' : '意见（选填）'">
          <el-input v-model="note" type="textarea" :rows="3" maxlength="255" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="busy">确认{{ ACTIONS[deciding.action][0] }}</el-button>
        <el-button @click="deciding = null">取消</el-button>
      </el-form>
    </el-dialog>`,
};
