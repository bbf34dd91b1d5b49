// Complaints about my shop that the market-regulation officers forwarded for an answer.

import { pagedList } from "/assets/console/merchant/api.js";
import { BASE } from "/assets/console/merchant/router.js";

const { ref, onMounted } = Vue;

export const COMPLAINT_TAG = { awaiting_merchant: "danger", merchant_responded: "warning", resolved: "success",
  closed: "info" };

export default {
  setup() {
    const { items, cursor, loading, error, load } = pagedList("/merchant/complaints");
    onMounted(() => load());
    return { items, cursor, loading, error, load, BASE, COMPLAINT_TAG };
  },
  template: `
    <h1>投诉处理</h1>
    <p class="muted">这里是市场监管部门转给本店处理的 12315 投诉。请在时限内答复，答复内容村民和主管部门都能看到。</p>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">投诉列表</caption>
        <thead><tr><th scope="col">投诉编号</th><th scope="col">类别</th><th scope="col">内容</th><th scope="col">提交日期</th>
          <th scope="col">办结时限</th><th scope="col">状态</th></tr></thead>
        <tbody>
          <tr v-for="c in items" :key="c.id">
            <td><app-link :to="BASE + '/complaints/' + c.id">{{ c.tracking_no }}</app-link></td>
            <td>{{ c.category_name }}</td>
            <td style="max-width:360px">{{ c.description.length > 60 ? c.description.slice(0, 60) + '…' : c.description }}</td>
            <td>{{ c.submitted_on }}</td>
            <td>{{ c.finish_due_on || '—' }}<span v-if="c.overdue" class="hint" style="color:#8f1e18">（已超期）</span></td>
            <td><el-tag :type="COMPLAINT_TAG[c.status] || 'info'" size="small">{{ c.status_label }}</el-tag></td>
          </tr>
          <tr v-if="!loading && !items.length"><td colspan="6" class="empty">没有需要处理的投诉</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>`,
};
