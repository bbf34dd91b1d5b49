// One complaint: what the villager wrote, the timeline, and the shop's answer.

import { api, errorText, toast } from "/assets/console/merchant/api.js";
import { ComplaintContent, ComplaintTimeline } from "/assets/shared/complaint-parts.js";
import { BASE } from "/assets/console/merchant/router.js";
import { COMPLAINT_TAG } from "/assets/console/merchant/pages/complaints.js";

const { ref, onMounted } = Vue;

export default {
  props: { id: { type: String, required: true } },
  components: { ComplaintContent, ComplaintTimeline },
  setup(props) {
    const complaint = ref(null);
    const error = ref("");
    const message = ref("");
    const formError = ref("");
    const busy = ref(false);
    onMounted(async () => {
      try { complaint.value = await api.get(`/merchant/complaints/${props.id}`); } catch (e) { error.value = errorText(e); }
    });
    async function respond() {
      formError.value = "";
      busy.value = true;
      try {
        complaint.value = await api.post(`/merchant/complaints/${props.id}/responses`, { message: message.value });
        message.value = "";
        toast("答复已提交");
      } catch (e) {
        formError.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    return { complaint, error, message, formError, busy, respond, BASE, COMPLAINT_TAG };
  },
  template: `
    <p><app-link :to="BASE + '/complaints'">← 返回投诉列表</app-link></p>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <template v-if="complaint">
      <h1>投诉 {{ complaint.tracking_no }}</h1>
      <div class="panel narrow">
        <el-descriptions :column="1" border>
          <el-descriptions-item label="状态"><el-tag :type="COMPLAINT_TAG[complaint.status] || 'info'">{{ complaint.status_label }}</el-tag></el-descriptions-item>
          <el-descriptions-item label="类别">{{ complaint.category_name }}</el-descriptions-item>
          <el-descriptions-item label="提交日期">{{ complaint.submitted_on }}</el-descriptions-item>
          <el-descriptions-item label="办结时限">{{ complaint.finish_due_on || '—' }}{{ complaint.overdue ? '（已超期）' : '' }}</el-descriptions-item>
          <el-descriptions-item v-if="complaint.product_id" label="涉及商品">{{ complaint.product_name || '商品 #' + complaint.product_id }}</el-descriptions-item>
          <el-descriptions-item label="联系电话">{{ complaint.phone || '未留' }}</el-descriptions-item>
        </el-descriptions>
        <complaint-content :complaint="complaint" />
      </div>
      <div class="panel narrow">
        <complaint-timeline :complaint="complaint" />
      </div>
      <div v-if="complaint.status === 'awaiting_merchant'" class="panel narrow">
        <h2 style="margin-top:0">答复投诉</h2>
        <el-alert v-if="formError" :title="formError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
        <el-form label-position="top" @submit.prevent="respond">
          <el-form-item label="答复内容（说明核实情况和处理办法）"><el-input v-model="message" type="textarea" :rows="5" /></el-form-item>
          <el-button type="primary" native-type="submit" :loading="busy">提交答复</el-button>
        </el-form>
      </div>
      <p v-else class="muted">当前状态无需本店答复。</p>
    </template>`,
};
