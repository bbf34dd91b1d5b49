// The subsidy review queue: filters, and many claims approved at once (flagged ones are
// skipped by the server and must be reviewed one by one).

import { all, api, chinaTime, errorText, pagedList, toast, yuan } from "/assets/console/admin/api.js";
import { BASE, route } from "/assets/console/admin/router.js";

const { ref, reactive, computed, onMounted } = Vue;

export const CLAIM_TAG = { reserved: "warning", approved: "success", rejected: "danger", disbursed: "info" };
export const CLAIM_STATUSES = [["reserved", "待审核（已预留）"], ["approved", "已批准"], ["rejected", "已驳回"], ["disbursed", "已发放"]];

export default {
  setup() {
    const filters = reactive({ status: "reserved", program_id: route.query.get("program") || "", flagged: "" });
    const programs = ref([]);
    const { items, cursor, loading, error, load } = pagedList("/admin/subsidy-claims", {
      params: () => ({ limit: 50, status: filters.status, program_id: filters.program_id, flagged: filters.flagged }),
    });
    const selected = ref([]);
    const approving = ref(false);
    const note = ref("");
    const busy = ref(false);
    const bulkError = ref("");

    const selectable = (c) => c.status === "reserved" && !c.flagged;
    const choosable = computed(() => items.value.filter(selectable).map((c) => c.id));
    const allChosen = computed(() => choosable.value.length > 0 && choosable.value.every((id) => selected.value.includes(id)));
    function toggleAll(on) { selected.value = on ? [...choosable.value] : []; }
    function search() { selected.value = []; load(); }
    async function approve() {
      bulkError.value = "";
      busy.value = true;
      try {
        const answer = await api.post("/admin/subsidy-claims/bulk-approve", { claim_ids: selected.value, note: note.value || null });
        approving.value = false;
        selected.value = [];
        note.value = "";
        toast(answer.skipped.length ? `已通过 ${answer.approved.length} 件，${answer.skipped.length} 件未处理（已被标记或已处理）`
          : `已通过 ${answer.approved.length} 件`, answer.skipped.length ? "warning" : "success");
        await load();
      } catch (e) {
        bulkError.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    onMounted(async () => {
      load();
      try { programs.value = await all("/admin/subsidy-programs"); } catch { /* the filter just lists none */ }
    });
    return { filters, programs, items, cursor, loading, error, load, search, selected, selectable, allChosen, toggleAll,
      approving, note, busy, bulkError, approve, yuan, chinaTime, CLAIM_TAG, CLAIM_STATUSES, BASE };
  },
  template: `
    <h1>补贴审核</h1>
    <form class="filters" @submit.prevent="search" aria-label="筛选">
      <div class="field"><label for="claims-status" class="field-label">状态</label>
        <select id="claims-status" v-model="filters.status" class="native"><option value="">全部</option>
          <option v-for="s in CLAIM_STATUSES" :key="s[0]" :value="s[0]">{{ s[1] }}</option></select></div>
      <div class="field"><label for="claims-program" class="field-label">补贴项目</label>
        <select id="claims-program" v-model="filters.program_id" class="native"><option value="">全部项目</option>
          <option v-for="p in programs" :key="p.id" :value="String(p.id)">{{ p.title }}</option></select></div>
      <div class="field"><label for="claims-flagged" class="field-label">风险标记</label>
        <select id="claims-flagged" v-model="filters.flagged" class="native"><option value="">全部</option>
          <option value="true">仅看被标记的</option><option value="false">未被标记的</option></select></div>
      <el-button type="primary" native-type="submit">查询</el-button>
    </form>
    <div class="toolbar">
      <el-button type="success" :disabled="!selected.length" @click="approving = true">批量通过（{{ selected.length }}）</el-button>
      <span class="muted">只能勾选待审核且未被标记的申请；被标记的申请（如商品列入负面清单）请逐件审核。</span>
    </div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap" tabindex="0" role="region" aria-label="补贴申请列表（可左右滚动）">
      <table class="grid">
        <caption class="sr-only">补贴申请列表</caption>
        <thead><tr>
          <th scope="col"><input type="checkbox" :checked="allChosen" aria-label="全选本页可通过的申请" @change="toggleAll($event.target.checked)"></th>
          <th scope="col">编号</th><th scope="col">申请人</th><th scope="col">补贴项目</th><th scope="col">商品</th>
          <th scope="col" class="num">实付金额</th><th scope="col" class="num">补贴金额</th><th scope="col">购买日期</th>
          <th scope="col">提交时间</th><th scope="col">状态</th></tr></thead>
        <tbody>
          <tr v-for="c in items" :key="c.id" :data-claim="c.id">
            <td><input v-if="selectable(c)" type="checkbox" :value="c.id" v-model="selected" :aria-label="'选择申请 ' + c.id"></td>
            <td><app-link :to="BASE + '/subsidy-claims/' + c.id">申请 {{ c.id }}</app-link></td>
            <td>{{ c.applicant.real_name || '—' }}</td><td>{{ c.program_title }}</td><td>{{ c.product_name || '商品 #' + c.product_id }}</td>
            <td class="num">{{ yuan(c.price_paid_fen) }}</td><td class="num">{{ yuan(c.amount_fen) }}</td>
            <td>{{ c.purchase_date }}</td><td>{{ chinaTime(c.created_at) }}</td>
            <td><el-tag :type="CLAIM_TAG[c.status] || 'info'" size="small">{{ c.status_label }}</el-tag>
              <div v-if="c.flagged" class="overdue-text">已标记：{{ c.flag_reason }}</div></td>
          </tr>
          <tr v-if="!loading && !items.length"><td colspan="10" class="empty">没有符合条件的申请</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>
    <el-dialog v-model="approving" title="批量通过" width="min(460px, 94vw)">
      <p>确认通过选中的 {{ selected.length }} 件补贴申请？通过后资金转为“已批准”，可生成发放批次。</p>
      <el-alert v-if="bulkError" :title="bulkError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
      <el-form label-position="top" @submit.prevent="approve">
        <el-form-item label="审核意见（选填）"><el-input v-model="note" maxlength="255" /></el-form-item>
        <el-button type="success" native-type="submit" :loading="busy">确认通过</el-button>
        <el-button @click="approving = false">取消</el-button>
      </el-form>
    </el-dialog>`,
};
