// The audit log (province officers): every officer action and every access to full personal
// data, newest first; filters, paging, and the same entries as CSV or Excel.

import { all, chinaDay, chinaTime, download, errorText, pagedList, toast } from "/assets/console/admin/api.js";

const { ref, reactive, onMounted } = Vue;

const SUBJECTS = [["shop", "店铺"], ["product", "商品"], ["dealer_authorisation", "经销授权"], ["certificate", "认证证书"],
  ["local_list_entry", "本地清单"], ["negative_list_entry", "负面清单"], ["expo", "展会"], ["expo_booth", "展位"],
  ["expo_ticket", "门票"], ["promotion", "促销活动"], ["subsidy_program", "补贴项目"], ["subsidy_claim", "补贴申请"],
  ["complaint", "投诉"], ["holiday", "节假日"], ["user", "用户"], ["audit_log", "审计日志"], ["download", "下载"]];

export default {
  setup() {
    const filters = reactive({ actor: "", subject_type: "", subject_id: "", action: "", from: "", to: "" });
    const officers = ref([]);
    const exporting = ref("");
    const query = () => Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, String(v).trim()]));
    const { items, cursor, loading, error, load } = pagedList("/admin/audit-log", { params: () => ({ limit: 50, ...query() }) });
    const open = ref(null);

    async function exportAs(ext) {
      exporting.value = ext;
      try {
        await download(`/admin/audit-log.${ext}`, query(), `操作日志-${chinaDay()}.${ext}`);
      } catch (e) {
        toast(errorText(e), "error");
      } finally {
        exporting.value = "";
      }
    }
    function reset() {
      Object.assign(filters, { actor: "", subject_type: "", subject_id: "", action: "", from: "", to: "" });
      load();
    }
    onMounted(async () => {
      load();
      try { officers.value = await all("/admin/users", { role: "admin" }); } catch { /* the officer filter lists none */ }
    });
    return { filters, officers, items, cursor, loading, error, load, reset, exporting, exportAs, open, chinaTime, SUBJECTS };
  },
  template: `
    <h1>操作日志</h1>
    <p class="muted">记录主管部门每一项操作，以及每一次查看、导出完整个人信息（谁、何时、用途）。只增不改。</p>
    <form class="filters" @submit.prevent="load()" aria-label="筛选">
      <div class="field"><label for="audit-actor" class="field-label">操作人</label>
        <select id="audit-actor" v-model="filters.actor" class="native"><option value="">全部</option>
          <option v-for="o in officers" :key="o.id" :value="String(o.id)">{{ o.nickname || o.username }}（{{ o.region_code }}）</option></select></div>
      <div class="field"><label for="audit-subject" class="field-label">对象类型</label>
        <select id="audit-subject" v-model="filters.subject_type" class="native"><option value="">全部</option>
          <option v-for="s in SUBJECTS" :key="s[0]" :value="s[0]">{{ s[1] }}</option></select></div>
      <div class="field"><label for="audit-subject-id" class="field-label">对象编号</label>
        <input id="audit-subject-id" v-model="filters.subject_id" class="native" maxlength="64"></div>
      <div class="field"><label for="audit-action" class="field-label">操作代码</label>
        <input id="audit-action" v-model="filters.action" class="native" maxlength="48" placeholder="如 complaint.*"></div>
      <div class="field"><label for="audit-from" class="field-label">开始日期</label>
        <input id="audit-from" v-model="filters.from" type="date" class="native"></div>
      <div class="field"><label for="audit-to" class="field-label">结束日期</label>
        <input id="audit-to" v-model="filters.to" type="date" class="native"></div>
      <el-button type="primary" native-type="submit">查询</el-button>
      <el-button @click="reset">清空条件</el-button>
    </form>
    <div class="toolbar">
      <el-button :loading="exporting === 'csv'" @click="exportAs('csv')">导出 CSV</el-button>
      <el-button :loading="exporting === 'xlsx'" @click="exportAs('xlsx')">导出 Excel</el-button>
      <span class="muted">按当前筛选条件导出；导出本身也会记入日志。</span>
    </div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap" tabindex="0" role="region" aria-label="操作日志（可左右滚动）">
      <table class="grid">
        <caption class="sr-only">操作日志</caption>
        <thead><tr><th scope="col">时间</th><th scope="col">操作人</th><th scope="col">操作</th><th scope="col">对象</th>
          <th scope="col">摘要</th><th scope="col">详情</th></tr></thead>
        <tbody>
          <tr v-for="e in items" :key="e.id" :data-entry="e.id">
            <td style="white-space:nowrap">{{ chinaTime(e.at) }}</td>
            <td>{{ e.actor_name }}<div class="hint">{{ e.actor_region_code }}</div></td>
            <td>{{ e.action_label }}<div class="hint">{{ e.action }}</div></td>
            <td>{{ e.subject_label }}{{ e.subject_id ? ' #' + e.subject_id : '' }}</td>
            <td style="max-width:420px">{{ e.summary }}</td>
            <td class="actions"><el-button size="small" @click="open = e">查看</el-button></td>
          </tr>
          <tr v-if="!loading && !items.length"><td colspan="6" class="empty">没有符合条件的记录</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>
    <el-dialog :model-value="!!open" @update:model-value="(v) => { if (!v) open = null }" title="日志详情" width="min(640px, 96vw)">
      <template v-if="open">
        <p>{{ chinaTime(open.at) }} · {{ open.actor_name }} · {{ open.action_label }}</p>
        <p>{{ open.summary }}</p>
        <pre style="white-space:pre-wrap;background:#f1f5f3;padding:10px;border-radius:6px">{{ JSON.stringify(open.detail, null, 2) }}</pre>
        <p class="hint">记录编号 {{ open.id }}<template v-if="open.request_id">，请求编号 {{ open.request_id }}</template></p>
      </template>
    </el-dialog>`,
};
