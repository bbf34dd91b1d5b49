// One subsidy programme: its budget figures and ledger, the payment batch for the finance
// bureau (an Excel file with full ID numbers, logged) and the record that a batch was paid.

import { ApiError, api, all, errorText, toast, yuan } from "/assets/console/admin/api.js";
import { BASE } from "/assets/console/admin/router.js";
import { saveFile } from "/assets/shared/console.js";
import { rateText } from "/assets/console/admin/pages/subsidy-programs.js";

const { ref, computed, onMounted } = Vue;

const MOVEMENTS = [["top_up", "预算拨入（含追加）"], ["reserved", "申请预留"], ["released", "驳回释放"],
  ["approved", "审核批准"], ["disbursed", "已发放"]];
const CLAIMS = [["reserved", "待审核（已预留）"], ["approved", "已批准待发放"], ["rejected", "已驳回"], ["disbursed", "已发放"]];

// A POST that answers a file (the payment batch): the API client only fetches files by GET.
async function postForFile(path) {
  const headers = { Accept: "*/*", "Idempotency-Key": crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) };
  const token = api.token.get();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(`/api/v1${path}`, { method: "POST", headers });
  } catch {
    throw new ApiError(0, null);
  }
  if (!response.ok) {
    let body = null;
    try { body = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, body);
  }
  return { blob: await response.blob(), batchNo: response.headers.get("X-Batch-No"),
    count: Number(response.headers.get("X-Claim-Count") || 0) };
}

export default {
  props: { id: { type: String, required: true } },
  setup(props) {
    const program = ref(null);
    const ledger = ref(null);
    const error = ref("");
    const batch = ref(null);
    const batchNo = ref("");
    const busy = ref("");
    const actionError = ref("");

    async function refresh() {
      try {
        const [programs, book] = await Promise.all([all("/admin/subsidy-programs"),
          api.get(`/admin/subsidy-programs/${props.id}/ledger`)]);
        program.value = programs.find((p) => String(p.id) === String(props.id)) || null;
        ledger.value = book;
        if (!program.value) error.value = "没有找到该补贴项目";
      } catch (e) {
        error.value = errorText(e);
      }
    }
    async function makeBatch() {
      actionError.value = "";
      busy.value = "batch";
      try {
        const answer = await postForFile(`/admin/subsidy-programs/${props.id}/payment-batches`);
        batch.value = { no: answer.batchNo, count: answer.count };
        if (answer.count > 0) {
          saveFile(answer.blob, `${answer.batchNo}.xlsx`);
          batchNo.value = answer.batchNo;
          toast(`已生成发放批次 ${answer.batchNo}，共 ${answer.count} 笔`);
        } else {
          toast("没有待发放的已批准申请", "warning");
        }
      } catch (e) {
        actionError.value = errorText(e);
      } finally {
        busy.value = "";
      }
    }
    async function disburse() {
      actionError.value = "";
      if (!batchNo.value.trim()) { actionError.value = "请填写批次号"; return; }
      busy.value = "disburse";
      try {
        const answer = await api.post(`/admin/subsidy-programs/${props.id}/disbursements`, { batch_no: batchNo.value.trim() });
        toast(`已登记发放 ${answer.disbursed} 笔`);
        batchNo.value = "";
        await refresh();
      } catch (e) {
        actionError.value = errorText(e);
      } finally {
        busy.value = "";
      }
    }
    const used = computed(() => (ledger.value && ledger.value.budget_fen
      ? Math.round((ledger.value.committed_fen / ledger.value.budget_fen) * 100) : 0));
    onMounted(refresh);
    return { program, ledger, error, batch, batchNo, busy, actionError, makeBatch, disburse, used, yuan, rateText,
      MOVEMENTS, CLAIMS, BASE };
  },
  template: `
    <p><app-link :to="BASE + '/subsidy-programs'">← 返回补贴项目</app-link></p>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <template v-if="program && ledger">
      <h1>{{ program.title }}</h1>
      <p class="muted">地区 {{ program.region_code }} · 补贴比例 {{ rateText(program.rate_bp) }} · 单件上限 {{ yuan(program.cap_per_item_fen) }}
        · 每人上限 {{ yuan(program.cap_per_person_fen) }} · {{ program.starts_on }} 至 {{ program.ends_on }}
        · 类别：{{ program.categories.map((c) => c.name).join('、') }}</p>
      <div class="stats" aria-label="预算情况">
        <div class="stat"><div class="label">预算总额</div><div class="value">{{ yuan(ledger.budget_fen) }}</div></div>
        <div class="stat"><div class="label">已占用（预留＋批准＋发放）</div><div class="value">{{ yuan(ledger.committed_fen) }}</div></div>
        <div class="stat"><div class="label">剩余预算</div><div class="value">{{ yuan(ledger.remaining_fen) }}</div></div>
        <div class="stat"><div class="label">使用比例</div><div class="value">{{ used }}%</div></div>
      </div>
      <el-alert v-if="ledger.reconciles" type="success" :closable="false" show-icon title="账目核对一致：预算流水与各申请金额相符" />
      <el-alert v-else type="error" :closable="false" show-icon role="alert" title="账目核对不一致，请联系系统管理员核查" />
      <div class="form-row" style="margin-top:16px">
        <div class="table-wrap">
          <table class="grid">
            <caption style="text-align:left;padding:10px 12px;font-weight:700">资金流水合计</caption>
            <thead><tr><th scope="col">类型</th><th scope="col" class="num">金额</th></tr></thead>
            <tbody><tr v-for="m in MOVEMENTS" :key="m[0]"><th scope="row">{{ m[1] }}</th>
              <td class="num">{{ yuan(ledger.movements[m[0]] || 0) }}</td></tr></tbody>
          </table>
        </div>
        <div class="table-wrap">
          <table class="grid">
            <caption style="text-align:left;padding:10px 12px;font-weight:700">按申请状态合计</caption>
            <thead><tr><th scope="col">申请状态</th><th scope="col" class="num">补贴金额</th></tr></thead>
            <tbody><tr v-for="c in CLAIMS" :key="c[0]"><th scope="row">{{ c[1] }}</th>
              <td class="num">{{ yuan(ledger.claims[c[0]] || 0) }}</td></tr></tbody>
          </table>
        </div>
      </div>
      <p><app-link :to="BASE + '/subsidy-claims?program=' + program.id">查看本项目的补贴申请 →</app-link></p>

      <div class="panel narrow">
        <h2 style="margin-top:0">发放</h2>
        <el-alert v-if="actionError" :title="actionError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
        <p>① 把已批准、尚未发放的申请生成一个发放批次，下载 Excel 交财政部门办理（表中含完整身份证号和银行账号，本次导出会记入操作日志）。</p>
        <el-button type="primary" :loading="busy === 'batch'" @click="makeBatch">生成发放批次并下载</el-button>
        <p v-if="batch" class="batch-result" role="status">
          <template v-if="batch.count">批次号 <strong>{{ batch.no }}</strong>，共 {{ batch.count }} 笔，文件已下载。</template>
          <template v-else>没有待发放的已批准申请。</template>
        </p>
        <p style="margin-top:18px">② 财政部门付款后，按批次号登记“已发放”，村民会收到通知。</p>
        <el-form label-position="top" @submit.prevent="disburse">
          <el-form-item label="发放批次号"><el-input v-model="batchNo" placeholder="如 PAY20261201A1B2C3" /></el-form-item>
          <el-button type="success" native-type="submit" :loading="busy === 'disburse'">登记已发放</el-button>
        </el-form>
      </div>
    </template>`,
};
