// The expo page's live attendance: seats, registrations, admissions, scans by result and
// arrivals; refreshed every 15 seconds while the page is open.

import { api, chinaTime, errorText } from "/assets/console/admin/api.js";

const { ref, watch, onMounted, onBeforeUnmount } = Vue;

const SCANS = { admitted: "准予入场", already_admitted: "已入场过", wrong_expo: "非本场门票", cancelled: "门票已取消",
  revoked: "门票已作废", waitlisted: "候补中", expo_cancelled: "展会已取消", not_open: "未到入场时间或已结束", invalid: "无效二维码" };
const EVERY_MS = 15000;

export default {
  props: { expoId: { type: [String, Number], required: true }, live: { type: Boolean, default: true } },
  setup(props) {
    const data = ref(null);
    const error = ref("");
    const at = ref(null);
    let timer = null;
    async function refresh() {
      try {
        data.value = await api.get(`/expos/${props.expoId}/attendance`);
        at.value = new Date();
        error.value = "";
      } catch (e) {
        error.value = `到场数据加载失败：${errorText(e)}`;
      }
    }
    function schedule(live) {
      clearInterval(timer);
      timer = live ? setInterval(() => { if (!document.hidden) refresh(); }, EVERY_MS) : null;
    }
    watch(() => props.live, schedule); // e.g. a draft just published
    onMounted(() => {
      refresh();
      schedule(props.live);
    });
    onBeforeUnmount(() => clearInterval(timer));
    const time = (d) => d.toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
    return { data, error, at, refresh, time, chinaTime, SCANS };
  },
  template: `
    <div class="panel attendance">
      <h2 style="margin-top:0">实时到场</h2>
      <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
      <template v-if="data">
        <dl class="stat-row">
          <div><dt>名额</dt><dd data-stat="capacity">{{ data.capacity }}</dd></div>
          <div><dt>已报名</dt><dd data-stat="registered">{{ data.registered }}</dd></div>
          <div><dt>候补</dt><dd data-stat="waitlisted">{{ data.waitlisted }}</dd></div>
          <div><dt>已取消</dt><dd data-stat="cancelled">{{ data.cancelled }}</dd></div>
          <div class="main"><dt>已入场</dt><dd data-stat="admitted">{{ data.admitted }}</dd></div>
          <div><dt>重复扫码</dt><dd data-stat="duplicates">{{ data.duplicates }}</dd></div>
        </dl>
        <p v-if="Object.keys(data.scans).length" class="hint">扫码结果：
          <span v-for="(n, k) in data.scans" :key="k" style="margin-right:12px">{{ SCANS[k] || k }} {{ n }} 次</span></p>
        <p v-if="data.arrivals.length" class="hint">入场时段：
          <span v-for="a in data.arrivals" :key="a.from" style="margin-right:12px">{{ chinaTime(a.from) }} 起 {{ a.count }} 人</span></p>
      </template>
      <p class="hint" aria-live="off">{{ at ? '更新于 ' + time(at) : '正在加载…' }}{{ live ? '，每 15 秒自动刷新' : '' }}
        <el-button size="small" @click="refresh" style="margin-left:8px">立即刷新</el-button></p>
    </div>`,
};
