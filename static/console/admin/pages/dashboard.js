// The console's home: the campaign at a glance in five charts (ECharts, loaded only here):
// arrivals at a live expo (refreshed every 30 s), subsidy claims and budget burn-down,
// complaints by status, coupons claimed and redeemed, and the sub-regions side by side.

import { all, api, chinaDay, errorText, session } from "/assets/console/admin/api.js";
import { BASE } from "/assets/console/admin/router.js";
import DashChart, { loadEcharts } from "/assets/console/admin/pages/dashboard-chart.js";
import { arrivalsChart, complaintsChart, couponsChart, programmesChart, regionsChart } from "/assets/console/admin/pages/dashboard-options.js";

const { ref, computed, onMounted, onBeforeUnmount } = Vue;

const REFRESH_MS = 30000;

// The expo to watch: one open now, else the next one, else the latest.
function liveFirst(expos) {
  const now = Date.now();
  const live = expos.filter((e) => e.status === "published" && new Date(e.starts_at) <= now && now <= new Date(e.ends_at));
  const next = expos.filter((e) => e.status === "published" && new Date(e.starts_at) > now)
    .sort((a, b) => new Date(a.starts_at) - new Date(b.starts_at));
  return live[0] || next[0] || expos[0] || null;
}

export default {
  components: { DashChart },
  setup() {
    const expos = ref([]);
    const expoId = ref("");
    const attendance = ref(null);
    const dashboard = ref(null);
    const summary = ref(null);
    const errors = ref([]);
    const chartsFailed = ref(false);
    const updatedAt = ref("");
    const days = ref("30");
    let timer = null;
    // The period: the last 7 or 30 China days, or (empty) the campaign so far.
    const period = () => (days.value
      ? { from: chinaDay(new Date(Date.now() - (Number(days.value) - 1) * 86400000)), to: chinaDay() } : {});

    const expo = computed(() => expos.value.find((e) => String(e.id) === String(expoId.value)) || null);
    const isLive = computed(() => expo.value && new Date(expo.value.starts_at) <= Date.now() && Date.now() <= new Date(expo.value.ends_at));
    const arrivals = computed(() => arrivalsChart(expo.value, attendance.value));
    const programmes = computed(() => programmesChart(dashboard.value && dashboard.value.programmes));
    const complaints = computed(() => complaintsChart(dashboard.value && dashboard.value.complaints));
    const coupons = computed(() => couponsChart(dashboard.value && dashboard.value.coupons));
    const regions = computed(() => regionsChart(summary.value));

    const failed = (what) => (e) => { errors.value = [...errors.value, `${what}：${errorText(e)}`]; };
    async function loadAttendance() {
      if (!expoId.value) { attendance.value = null; return; }
      try {
        attendance.value = await api.get(`/expos/${expoId.value}/attendance`);
        updatedAt.value = new Date().toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
      } catch (e) {
        failed("展会入场数据")(e);
      }
    }
    function chooseExpo(id) {
      expoId.value = id;
      attendance.value = null;
      loadAttendance();
    }
    function loadFigures() {
      errors.value = [];
      return Promise.all([
        api.get("/admin/reports/dashboard", period()).then((d) => { dashboard.value = d; }, failed("看板数据")),
        api.get("/admin/reports/summary", period()).then((s) => { summary.value = s; }, failed("活动总结")),
      ]);
    }
    function choosePeriod(value) {
      days.value = value;
      loadFigures();
    }
    onMounted(async () => {
      loadEcharts().catch(() => { chartsFailed.value = true; });
      timer = setInterval(loadAttendance, REFRESH_MS);
      await Promise.all([
        loadFigures(),
        all("/admin/expos").then((list) => {
          expos.value = list;
          const pick = liveFirst(list);
          if (pick) chooseExpo(String(pick.id));
        }, failed("展会列表")),
      ]);
    });
    onBeforeUnmount(() => clearInterval(timer));
    return { session, expos, expoId, expo, isLive, attendance, chooseExpo, arrivals, programmes, complaints, coupons, regions,
      errors, chartsFailed, updatedAt, dashboard, summary, days, choosePeriod, BASE };
  },
  template: `
    <h1>数据看板</h1>
    <p class="muted">{{ session.user.region_name || session.user.region_code }}
      <template v-if="summary">· 统计期间 {{ summary.from }} 至 {{ summary.to }}</template>
      · 详细数字见 <app-link :to="BASE + '/reports'">活动总结</app-link></p>
    <div class="filters">
      <div class="field"><label for="dashboard-period" class="field-label">统计期间</label>
        <select id="dashboard-period" class="native" :value="days" @change="choosePeriod($event.target.value)">
          <option value="7">最近 7 天</option><option value="30">最近 30 天</option><option value="">今年活动以来</option>
        </select></div>
    </div>
    <el-alert v-if="chartsFailed" type="error" :closable="false" show-icon role="alert" title="图表组件加载失败，请刷新页面重试" style="margin-bottom:12px" />
    <el-alert v-for="(e, i) in errors" :key="i" type="error" :title="e" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
    <div class="charts">
      <section class="chart-card" aria-labelledby="chart-arrivals">
        <h2 id="chart-arrivals">展会入场（每 15 分钟）</h2>
        <div class="filters" style="margin-bottom:8px">
          <div class="field" style="flex:1"><label for="dashboard-expo" class="field-label">展会</label>
            <select id="dashboard-expo" class="native" :value="expoId" @change="chooseExpo($event.target.value)">
              <option v-if="!expos.length" value="">暂无展会</option>
              <option v-for="e in expos" :key="e.id" :value="String(e.id)">{{ e.title }}（{{ e.starts_at.slice(0, 10) }}）</option>
            </select></div>
        </div>
        <p v-if="attendance" class="hint" aria-live="polite">报名 {{ attendance.registered }} 人 · 候补 {{ attendance.waitlisted }} 人 · 已入场 {{ attendance.admitted }} 人
          <template v-if="isLive"> · 进行中，每 30 秒自动刷新（{{ updatedAt }} 更新）</template></p>
        <dash-chart name="arrivals" :option="arrivals.option" :label="arrivals.label"
          :empty="expo ? '该展会还没有人入场' : '暂无展会'" />
      </section>
      <section class="chart-card" aria-labelledby="chart-programmes">
        <h2 id="chart-programmes">补贴申请与预算消耗</h2>
        <p v-if="dashboard && dashboard.programmes.length" class="hint">{{ dashboard.programmes.map((p) => p.name).join('、') }}</p>
        <dash-chart name="programmes" :option="programmes.option" :label="programmes.label"
          :empty="dashboard ? '统计期间没有补贴项目数据' : '正在加载…'" />
      </section>
      <section class="chart-card" aria-labelledby="chart-complaints">
        <h2 id="chart-complaints">投诉处理情况</h2>
        <dash-chart name="complaints" :option="complaints.option" :label="complaints.label"
          :empty="dashboard ? '统计期间没有投诉' : '正在加载…'" />
      </section>
      <section class="chart-card" aria-labelledby="chart-coupons">
        <h2 id="chart-coupons">优惠券每日领取与核销</h2>
        <dash-chart name="coupons" :option="coupons.option" :label="coupons.label"
          :empty="dashboard ? '统计期间没有领券或核销' : '正在加载…'" />
      </section>
      <section class="chart-card" aria-labelledby="chart-regions">
        <h2 id="chart-regions">各下级地区对比</h2>
        <dash-chart name="regions" :option="regions.option" :label="regions.label"
          :empty="summary ? '本地区没有下级地区' : '正在加载…'" />
      </section>
    </div>`,
};
