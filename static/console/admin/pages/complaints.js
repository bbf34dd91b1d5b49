// The complaints queue of the officer's region, the nearest deadline first; overdue ones are
// marked in red.

import { pagedList } from "/assets/console/admin/api.js";
import { BASE } from "/assets/console/admin/router.js";

const { reactive, computed, onMounted } = Vue;

export const COMPLAINT_TAG = { submitted: "danger", accepted: "warning", awaiting_merchant: "warning",
  merchant_responded: "warning", mediated: "warning", declined: "info", resolved: "success", closed: "info" };
export const COMPLAINT_STATUSES = [["submitted", "已提交"], ["accepted", "已受理"], ["awaiting_merchant", "待商家答复"],
  ["merchant_responded", "商家已答复"], ["mediated", "调解中"], ["declined", "不予受理"], ["resolved", "已办结"], ["closed", "已关闭"]];
const OPEN_STATUSES = ["submitted", "accepted", "awaiting_merchant", "merchant_responded", "mediated"];
// The deadline that runs now (the server's `due_on`); none once done.
export const deadlineOf = (c) => (OPEN_STATUSES.includes(c.status) ? c.due_on : null);

export default {
  setup() {
    const filters = reactive({ status: "", overdue: false });
    // Open complaints come from the work queue, the earliest deadline first across every page
    // (sort=deadline); a finished status is listed newest first.
    const { items, cursor, loading, error, load } = pagedList("/admin/complaints", {
      params: () => ({ limit: 50, status: filters.status, overdue: filters.overdue ? "true" : "",
        sort: !filters.status || OPEN_STATUSES.includes(filters.status) ? "deadline" : "newest" }),
    });
    const sorted = computed(() => items.value);
    onMounted(() => load());
    return { filters, sorted, items, cursor, loading, error, load, deadlineOf, COMPLAINT_TAG, COMPLAINT_STATUSES, BASE };
  },
  template: `
    <h1>投诉处理</h1>
    <p class="muted">12315 投诉：受理须在 7 个工作日内决定，受理后 45 个工作日内办结。按时限排列，最急的在前，已超期的标红。</p>
    <form class="filters" @submit.prevent="load()" aria-label="筛选">
      <div class="field"><label for="complaints-status" class="field-label">状态</label>
        <select id="complaints-status" v-model="filters.status" class="native"><option value="">全部未办结</option>
          <option v-for="s in COMPLAINT_STATUSES" :key="s[0]" :value="s[0]">{{ s[1] }}</option></select></div>
      <div class="field"><label><input type="checkbox" v-model="filters.overdue"> 只看已超期</label></div>
      <el-button type="primary" native-type="submit">查询</el-button>
    </form>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap" tabindex="0" role="region" aria-label="投诉列表（可左右滚动）">
      <table class="grid">
        <caption class="sr-only">投诉列表（按时限排序）</caption>
        <thead><tr><th scope="col">投诉编号</th><th scope="col">类别</th><th scope="col">内容</th><th scope="col">地区代码</th>
          <th scope="col">提交日期</th><th scope="col">当前时限</th><th scope="col">状态</th></tr></thead>
        <tbody>
          <tr v-for="c in sorted" :key="c.id" :data-complaint="c.id" :class="{ overdue: c.overdue }">
            <td><app-link :to="BASE + '/complaints/' + c.id">{{ c.tracking_no }}</app-link></td>
            <td>{{ c.category_name }}</td>
            <td style="max-width:340px">{{ c.description.length > 50 ? c.description.slice(0, 50) + '…' : c.description }}</td>
            <td>{{ c.region_code }}</td><td>{{ c.submitted_on }}</td>
            <td>{{ deadlineOf(c) || '—' }}<span v-if="deadlineOf(c)" class="hint">{{ c.status === 'submitted' ? '（受理）' : '（办结）' }}</span>
              <div v-if="c.overdue" class="overdue-text">已超期</div></td>
            <td><el-tag :type="COMPLAINT_TAG[c.status] || 'info'" size="small">{{ c.status_label }}</el-tag></td>
          </tr>
          <tr v-if="!loading && !items.length"><td colspan="7" class="empty">没有符合条件的投诉</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>`,
};
