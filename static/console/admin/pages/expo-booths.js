// The expo page's booths: merchants' applications; approve (with a booth number) or reject
// (with a reason).

import { api, errorText, pagedList, toast } from "/assets/console/admin/api.js";

const { ref, onMounted } = Vue;

const TAG = { applied: "warning", approved: "success", rejected: "danger" };

export default {
  props: { expoId: { type: [String, Number], required: true } },
  setup(props) {
    const { items, cursor, loading, error, load } = pagedList(`/admin/expos/${props.expoId}/booths`);
    const deciding = ref(null); // { booth, approve }
    const boothNo = ref("");
    const note = ref("");
    const decideError = ref("");

    function start(booth, approve) {
      deciding.value = { booth, approve };
      boothNo.value = "";
      note.value = "";
      decideError.value = "";
    }
    async function decide() {
      const { booth, approve } = deciding.value;
      if (!approve && note.value.trim().length < 2) { decideError.value = "请填写驳回原因"; return; }
      try {
        const updated = await api.post(`/admin/expos/${props.expoId}/booths/${booth.id}/decision`,
          { approve, booth_no: boothNo.value.trim() || null, note: note.value.trim() || null });
        items.value = items.value.map((b) => (b.id === updated.id ? updated : b));
        deciding.value = null;
        toast(approve ? "已通过展位申请" : "已驳回展位申请");
      } catch (e) {
        decideError.value = errorText(e);
      }
    }
    onMounted(() => load());
    return { items, cursor, loading, error, load, deciding, boothNo, note, decideError, start, decide, TAG };
  },
  template: `
    <div class="panel">
      <h2 style="margin-top:0">商家展位</h2>
      <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
      <div class="table-wrap">
        <table class="grid">
          <caption class="sr-only">展位申请</caption>
          <thead><tr><th scope="col">商家</th><th scope="col">展位号</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead>
          <tbody>
            <tr v-for="b in items" :key="b.id" :data-booth="b.id"><td>{{ b.merchant.name }}</td><td>{{ b.booth_no || '—' }}</td>
              <td><el-tag :type="TAG[b.status] || 'info'" size="small">{{ b.status_label }}</el-tag><div v-if="b.note" class="hint">{{ b.note }}</div></td>
              <td class="actions"><template v-if="b.status === 'applied'">
                <el-button size="small" type="primary" plain @click="start(b, true)">通过</el-button>
                <el-button size="small" type="danger" plain @click="start(b, false)">驳回</el-button></template></td></tr>
            <tr v-if="!loading && !items.length"><td colspan="4" class="empty">还没有商家申请展位</td></tr>
          </tbody>
        </table>
      </div>
      <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>
      <el-dialog :model-value="!!deciding" @update:model-value="(v) => { if (!v) deciding = null }"
        :title="deciding && deciding.approve ? '通过展位申请' : '驳回展位申请'" width="min(440px, 94vw)">
        <el-alert v-if="decideError" :title="decideError" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
        <el-form v-if="deciding" label-position="top" @submit.prevent="decide">
          <el-form-item v-if="deciding.approve" label="展位号（选填，例如 A-03）"><el-input v-model="boothNo" maxlength="20" /></el-form-item>
          <el-form-item :label="deciding.approve ? '备注（选填）' : '驳回原因（必填）'"><el-input v-model="note" maxlength="255" /></el-form-item>
          <el-button type="primary" native-type="submit">确认</el-button>
          <el-button @click="deciding = null">取消</el-button>
        </el-form>
      </el-dialog>
    </div>`,
};
