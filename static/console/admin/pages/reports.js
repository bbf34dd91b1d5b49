// The campaign summary (活动总结) of the officer's region or one below it, for a period: one
// table per domain (a row per sub-region and the total, amounts in yuan) and the Excel the
// province asks for.

import { api, download, errorText, toast } from "/assets/console/admin/api.js";
import ReportsRegion from "/assets/console/admin/pages/reports-region.js";

const { ref, reactive, onMounted } = Vue;

// The report's sections and figures, as app/reports/sections.py names them ("fen": yuan shown).
export const SECTIONS = [
  ["expos", "展销会", [["held", "举办展销会（场）"], ["registrations", "报名人数"], ["admissions", "入场人数"], ["waitlisted", "候补人数"]]],
  ["merchants", "商家与商品", [["shops_approved", "参与商家（家）"], ["products_listed", "上架商品（件）"],
    ["products_certified", "持有效认证"], ["products_local_list", "列入本地清单"], ["products_eligible", "符合活动条件"],
    ["products_negative_listed", "列入负面清单"]]],
  ["promotions", "促销与优惠券", [["promotions", "促销活动（个）"], ["coupon_templates", "优惠券（种）"],
    ["coupons_issued", "发放数量（张）"], ["coupons_claimed", "领取（张）"], ["coupons_redeemed", "核销（张）"],
    ["discount_fen", "让利金额（元）", "fen"], ["order_amount_fen", "核销订单金额（元）", "fen"]]],
  ["subsidies", "财政补贴", [["claims", "补贴申请（件）"], ["claims_rejected", "驳回（件）"],
    ["reserved_fen", "待审核预留金额（元）", "fen"], ["approved_fen", "批准金额（元，含已发放）", "fen"],
    ["disbursed_fen", "已发放金额（元）", "fen"], ["programs", "补贴项目（个）"], ["budget_fen", "项目预算（元）", "fen"],
    ["remaining_fen", "剩余预算（元）", "fen"]]],
  ["complaints", "投诉处理", [["received", "收到投诉（件）"], ["declined", "不予受理"], ["overdue", "逾期未办结"],
    ["resolved", "办结（件）"], ["avg_handling_workdays", "平均办结用时（工作日）", "avg"], ["rated", "评价（件）"],
    ["avg_satisfaction", "平均满意度（1-5）", "avg"]]],
  ["notifications", "消息通知", [["notifications", "通知（条）"], ["sent", "已送达"], ["sent_wechat", "其中订阅消息"],
    ["sent_sms", "其中短信"], ["sent_inapp", "其中仅站内"], ["failed", "发送失败"], ["skipped", "未发送（已跳过）"],
    ["pending", "待发送"]]],
];

export function figure(value, kind) {
  if (value === null || value === undefined) return "—";
  if (kind === "fen") return (value / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (kind === "avg") return String(value);
  return value.toLocaleString("zh-CN");
}

export default {
  components: { ReportsRegion },
  setup() {
    const query = reactive({ region: "", from: "", to: "" });
    const report = ref(null);
    const error = ref("");
    const loading = ref(false);
    const exporting = ref(false);
    const params = () => ({ region: query.region, from: query.from, to: query.to });

    async function run() {
      error.value = "";
      loading.value = true;
      try {
        report.value = await api.get("/admin/reports/summary", params());
        query.from = report.value.from;
        query.to = report.value.to;
      } catch (e) {
        error.value = errorText(e);
      } finally {
        loading.value = false;
      }
    }
    async function excel() {
      exporting.value = true;
      try {
        const name = report.value ? `活动总结-${report.value.region.name}-${query.from || ""}至${query.to || ""}.xlsx` : "活动总结.xlsx";
        await download("/admin/reports/summary.xlsx", params(), name);
      } catch (e) {
        toast(errorText(e), "error");
      } finally {
        exporting.value = false;
      }
    }
    onMounted(run);
    return { query, report, error, loading, exporting, run, excel, SECTIONS, figure };
  },
  template: `
    <h1>活动总结</h1>
    <p class="muted">按地区和期间汇总展销会、商家商品、促销优惠券、财政补贴和投诉处理；每个下级地区一行，最后一行为合计。各县（区）请于 12 月 15 日前报送。</p>
    <form class="panel" @submit.prevent="run" aria-label="统计条件">
      <reports-region v-model="query.region" />
      <div class="filters" style="margin-top:12px;margin-bottom:0">
        <div class="field"><label for="report-from" class="field-label">开始日期</label>
          <input id="report-from" v-model="query.from" type="date" class="native"></div>
        <div class="field"><label for="report-to" class="field-label">结束日期</label>
          <input id="report-to" v-model="query.to" type="date" class="native"></div>
        <el-button type="primary" native-type="submit" :loading="loading">查询</el-button>
        <el-button :loading="exporting" @click="excel">下载 Excel</el-button>
      </div>
    </form>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <template v-if="report">
      <p class="report-heading"><strong>{{ report.region.name }}</strong>（{{ report.region.code }}），{{ report.from }} 至 {{ report.to }}</p>
      <section v-for="s in SECTIONS" :key="s[0]" :aria-labelledby="'report-' + s[0]">
        <h2 :id="'report-' + s[0]">{{ s[1] }}</h2>
        <div class="table-wrap" tabindex="0" role="region" :aria-label="s[1] + '（可左右滚动）'">
          <table class="grid report" :data-section="s[0]">
            <thead><tr><th scope="col">地区</th><th v-for="f in s[2]" :key="f[0]" scope="col" class="num">{{ f[1] }}</th></tr></thead>
            <tbody>
              <tr v-for="r in report.rows" :key="r.region.code">
                <th scope="row">{{ r.region.name }}</th>
                <td v-for="f in s[2]" :key="f[0]" class="num">{{ figure(r[s[0]][f[0]], f[2]) }}</td>
              </tr>
              <tr class="total">
                <th scope="row">{{ report.rows.length ? '合计' : report.region.name }}</th>
                <td v-for="f in s[2]" :key="f[0]" class="num">{{ figure(report.total[s[0]][f[0]], f[2]) }}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </section>
    </template>`,
};
