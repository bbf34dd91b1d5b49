// 认证证书: look certificates up (national data), and, for province-level officers, import the
// published certificate list (CSV or .xlsx) with a per-row report of what failed and why.

import { api, errorText, pagedList, session, toast } from "/assets/console/admin/api.js";

const { reactive, ref, computed, nextTick, onMounted } = Vue;

const STATUSES = [["", "全部"], ["valid", "有效"], ["expired", "已过期"], ["suspended", "暂停"], ["revoked", "撤销"]];
const TAG = { valid: "success", expired: "info", suspended: "warning", revoked: "danger" };

export default {
  setup() {
    const query = reactive({ number: "", credit_code: "", status: "" });
    const { items, cursor, loading, error, load } = pagedList("/admin/certificates",
      { params: () => ({ number: query.number.trim(), credit_code: query.credit_code.trim(), status: query.status }) });
    const province = computed(() => /^\d{2}0000$/.test(session.user.region_code || ""));
    const file = ref(null);
    const importing = ref(false);
    const importError = ref("");
    const report = ref(null);

    function picked(event) {
      file.value = event.target.files[0] || null;
      report.value = null;
      importError.value = "";
    }
    async function upload() {
      if (!file.value) { importError.value = "请先选择要导入的 CSV 或 Excel 文件"; return; }
      importing.value = true;
      importError.value = "";
      report.value = null;
      try {
        report.value = await api.upload(file.value, file.value.name, "/admin/certificates/import", "file");
        toast(report.value.rejected.length ? "导入完成，部分行未导入，请查看报告" : "导入完成",
          report.value.rejected.length ? "warning" : "success");
        load();
        await nextTick();
        document.querySelector(".import-report")?.scrollIntoView({ block: "start" });
      } catch (e) {
        importError.value = errorText(e);
      } finally {
        importing.value = false;
      }
    }
    const imported = computed(() => (report.value ? report.value.total - report.value.rejected.length : 0));
    onMounted(() => load());
    return { query, items, cursor, loading, error, load, province, file, importing, importError, report, imported,
      picked, upload, STATUSES, TAG };
  },
  template: `
    <h1>认证证书</h1>
    <div class="panel">
      <h2 style="margin-top:0">导入证书名录</h2>
      <template v-if="province">
        <p class="hint">CSV（UTF-8）或 Excel（.xlsx）文件，第一行为表头：证书编号、认证机构、企业名称、统一社会信用代码、产品名称、星级、发证日期、有效期至，
          可选 状态（有效、暂停、撤销）和 产品类别。每行整行导入或整行不导入；重复导入同一文件不会产生变化。</p>
        <p><label for="cert-file">选择文件</label><br>
          <input id="cert-file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" @change="picked"></p>
        <el-button type="primary" :loading="importing" @click="upload">开始导入</el-button>
        <el-alert v-if="importError" :title="importError" type="error" :closable="false" show-icon role="alert" style="margin-top:12px" />
        <div v-if="report" class="import-report" role="status" style="margin-top:16px">
          <h3>导入报告</h3>
          <p class="figures">
            <el-tag type="info">共 {{ report.total }} 行</el-tag>
            <el-tag type="success">已导入 {{ imported }} 行（新增 {{ report.added }}，更新 {{ report.updated }}，无变化 {{ report.unchanged }}）</el-tag>
            <el-tag :type="report.rejected.length ? 'danger' : 'success'">未导入 {{ report.rejected.length }} 行</el-tag>
          </p>
          <p v-if="!report.rejected.length">所有行均已导入。</p>
          <div v-else class="table-wrap">
            <table class="grid">
              <caption class="sr-only">未导入的行及原因</caption>
              <thead><tr><th scope="col">行号</th><th scope="col">证书编号</th><th scope="col">未导入原因</th></tr></thead>
              <tbody>
                <tr v-for="r in report.rejected" :key="r.row" :data-row="r.row">
                  <td>第 {{ r.row }} 行</td><td>{{ r.number || '—' }}</td><td>{{ r.errors.join('；') }}</td>
                </tr>
              </tbody>
            </table>
          </div>
          <p v-if="report.rejected.length" class="hint">除上表所列的行以外，其余行均已导入。请修改后重新导入整份文件即可。</p>
        </div>
      </template>
      <p v-else class="muted">证书名录由省级主管部门统一导入。如发现证书信息有误，请联系省级主管部门。</p>
    </div>
    <div class="panel">
      <h2 style="margin-top:0">查询证书</h2>
      <el-form label-position="top" @submit.prevent="load()">
        <div class="toolbar" style="align-items:flex-end">
          <el-form-item label="证书编号（可填部分）" style="margin:0"><el-input v-model="query.number" clearable /></el-form-item>
          <el-form-item label="企业统一社会信用代码" style="margin:0"><el-input v-model="query.credit_code" maxlength="18" clearable /></el-form-item>
          <div><label for="cert-status" class="hint" style="display:block">状态</label>
            <select id="cert-status" class="native" style="width:auto" v-model="query.status">
              <option v-for="s in STATUSES" :key="s[0]" :value="s[0]">{{ s[1] }}</option></select></div>
          <el-button type="primary" native-type="submit" :loading="loading">查询</el-button>
        </div>
      </el-form>
    </div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">证书列表</caption>
        <thead><tr><th scope="col">证书编号</th><th scope="col">产品名称</th><th scope="col">获证企业</th><th scope="col">类别</th>
          <th scope="col">星级</th><th scope="col">有效期</th><th scope="col">状态</th></tr></thead>
        <tbody>
          <tr v-for="c in items" :key="c.id" :data-certificate="c.number">
            <td>{{ c.number }}<div class="hint">{{ c.issuer }}</div></td><td>{{ c.product_name }}</td>
            <td>{{ c.enterprise.name }}<div class="hint">{{ c.enterprise.credit_code }}</div></td>
            <td>{{ c.category ? c.category.name : '未登记' }}</td><td>{{ c.star }} 星</td>
            <td>{{ c.issued_on }} 至 {{ c.expires_on }}</td>
            <td><el-tag :type="TAG[c.status] || 'info'" size="small">{{ c.status_label }}</el-tag></td>
          </tr>
          <tr v-if="!loading && !items.length && !error"><td colspan="7" class="empty">没有找到证书</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>`,
};
