// One complaint, as the officer handles it: what the villager wrote, the deadlines, the
// timeline, and the actions (complaint-actions.js).

import { api, errorText } from "/assets/console/admin/api.js";
import { ComplaintContent, ComplaintTimeline } from "/assets/shared/complaint-parts.js";
import { BASE } from "/assets/console/admin/router.js";
import { COMPLAINT_TAG } from "/assets/console/admin/pages/complaints.js";
import ComplaintActions from "/assets/console/admin/pages/complaint-actions.js";

const { ref, onMounted } = Vue;

export default {
  props: { id: { type: String, required: true } },
  components: { ComplaintActions, ComplaintContent, ComplaintTimeline },
  setup(props) {
    const complaint = ref(null);
    const error = ref("");
    onMounted(async () => {
      try { complaint.value = await api.get(`/admin/complaints/${props.id}`); } catch (e) { error.value = errorText(e); }
    });
    return { complaint, error, BASE, COMPLAINT_TAG };
  },
  template: `
    <p><app-link :to="BASE + '/complaints'">← 返回投诉列表</app-link></p>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <template v-if="complaint">
      <h1>投诉 {{ complaint.tracking_no }}</h1>
      <div class="form-row" style="align-items:flex-start">
        <div>
          <div class="panel">
            <el-descriptions :column="1" border>
              <el-descriptions-item label="状态"><el-tag :type="COMPLAINT_TAG[complaint.status] || 'info'">{{ complaint.status_label }}</el-tag>
                <span v-if="complaint.overdue" class="overdue-text">（已超期）</span></el-descriptions-item>
              <el-descriptions-item label="类别">{{ complaint.category_name }}</el-descriptions-item>
              <el-descriptions-item label="处理地区">{{ complaint.region_code }}</el-descriptions-item>
              <el-descriptions-item label="提交日期">{{ complaint.submitted_on }}</el-descriptions-item>
              <el-descriptions-item label="受理时限">{{ complaint.accept_due_on || '—' }}</el-descriptions-item>
              <el-descriptions-item label="办结时限">{{ complaint.finish_due_on || '受理后计算' }}
                <span v-if="complaint.deadline_uncertain" class="hint">（下一年节假日安排未录入，时限为估算）</span></el-descriptions-item>
              <el-descriptions-item v-if="complaint.merchant_id" label="涉及商家">{{ complaint.merchant_name || '商家 #' + complaint.merchant_id }}</el-descriptions-item>
              <el-descriptions-item v-if="complaint.product_id" label="涉及商品">
                <app-link :to="BASE + '/products/' + complaint.product_id">{{ complaint.product_name || '商品 #' + complaint.product_id }}</app-link></el-descriptions-item>
              <el-descriptions-item v-if="complaint.expo_id" label="涉及展会">
                <app-link :to="BASE + '/expos/' + complaint.expo_id">展会 #{{ complaint.expo_id }}</app-link></el-descriptions-item>
              <el-descriptions-item v-if="complaint.subsidy_claim_id" label="涉及补贴申请">
                <app-link :to="BASE + '/subsidy-claims/' + complaint.subsidy_claim_id">申请 {{ complaint.subsidy_claim_id }}</app-link></el-descriptions-item>
              <el-descriptions-item label="联系电话">{{ complaint.phone || '未留' }}</el-descriptions-item>
              <el-descriptions-item v-if="complaint.satisfaction" label="满意度">{{ complaint.satisfaction }} / 5</el-descriptions-item>
            </el-descriptions>
            <complaint-content :complaint="complaint" />
          </div>
          <div class="panel">
            <complaint-timeline :complaint="complaint" />
          </div>
        </div>
        <complaint-actions :complaint="complaint" @changed="(c) => complaint = c" />
      </div>
    </template>`,
};
