// One subsidy claim: what the villager declared, the invoice photo, the history; approve, or
// reject with a reason; the full ID number for a stated purpose (the reveal is logged).

import { api, chinaTime, errorText, toast, yuan } from "/assets/console/admin/api.js";
import { BASE } from "/assets/console/admin/router.js";
import { CLAIM_TAG } from "/assets/console/admin/pages/subsidy-claims.js";

const { ref, onMounted } = Vue;

export default {
  props: { id: { type: String, required: true } },
  setup(props) {
    const claim = ref(null);
    const error = ref("");
    const note = ref("");
    const busy = ref("");
    const formError = ref("");
    const purpose = ref("");
    const revealed = ref(null);
    const revealError = ref("");

    onMounted(async () => {
      try { claim.value = await api.get(`/admin/subsidy-claims/${props.id}`); } catch (e) { error.value = errorText(e); }
    });
    async function decide(approve) {
      formError.value = "";
      if (!approve && !note.value.trim()) { formError.value = "驳回时请填写原因，村民会看到这段说明"; return; }
      busy.value = approve ? "approve" : "reject";
      try {
        claim.value = await api.post(`/admin/subsidy-claims/${props.id}/decision`, { approve, note: note.value.trim() || null });
        note.value = "";
        toast(approve ? "已通过该申请" : "已驳回，预留资金已释放");
      } catch (e) {
        formError.value = errorText(e);
      } finally {
        busy.value = "";
      }
    }
    async function reveal() {
      revealError.value = "";
      if (purpose.value.trim().length < 2) { revealError.value = "请写明查看用途（至少 2 个字）"; return; }
      busy.value = "reveal";
      try {
        revealed.value = await api.post(`/admin/subsidy-claims/${props.id}/reveal-id`, { purpose: purpose.value.trim() });
      } catch (e) {
        revealError.value = errorText(e);
      } finally {
        busy.value = "";
      }
    }
    return { claim, error, note, busy, formError, decide, purpose, revealed, revealError, reveal, yuan, chinaTime,
      CLAIM_TAG, BASE };
  },
  template: `
    <p><app-link :to="BASE + '/subsidy-claims'">← 返回补贴审核</app-link></p>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <template v-if="claim">
      <h1>补贴申请 {{ claim.id }}</h1>
      <div class="panel narrow">
        <el-alert v-if="claim.flagged" type="warning" :closable="false" show-icon :title="'已标记，需要逐件审核：' + claim.flag_reason" style="margin-bottom:14px" />
        <el-descriptions :column="1" border>
          <el-descriptions-item label="状态"><el-tag :type="CLAIM_TAG[claim.status] || 'info'">{{ claim.status_label }}</el-tag></el-descriptions-item>
          <el-descriptions-item label="申请人">{{ claim.applicant.real_name || '未登记姓名' }}（用户 #{{ claim.applicant.id }}）</el-descriptions-item>
          <el-descriptions-item label="手机号">{{ claim.applicant.phone || '未登记' }}</el-descriptions-item>
          <el-descriptions-item label="补贴项目"><app-link :to="BASE + '/subsidy-programs/' + claim.program_id">{{ claim.program_title }}</app-link></el-descriptions-item>
          <el-descriptions-item label="商家">{{ claim.merchant_name || '商家 #' + claim.merchant_id }}</el-descriptions-item>
          <el-descriptions-item label="商品"><app-link :to="BASE + '/products/' + claim.product_id">{{ claim.product_name || '商品 #' + claim.product_id }}</app-link></el-descriptions-item>
          <el-descriptions-item label="实付金额">{{ yuan(claim.price_paid_fen) }}</el-descriptions-item>
          <el-descriptions-item label="补贴金额"><strong>{{ yuan(claim.amount_fen) }}</strong></el-descriptions-item>
          <el-descriptions-item label="发票号">{{ claim.invoice_no }}</el-descriptions-item>
          <el-descriptions-item label="购买日期">{{ claim.purchase_date }}</el-descriptions-item>
          <el-descriptions-item label="提交时间">{{ chinaTime(claim.created_at) }}</el-descriptions-item>
          <el-descriptions-item v-if="claim.decision_note" label="审核意见">{{ claim.decision_note }}</el-descriptions-item>
        </el-descriptions>
        <h2>发票照片</h2>
        <div v-if="claim.invoice_photo_url" class="thumbs">
          <a :href="claim.invoice_photo_url" target="_blank" rel="noopener" class="thumb"><img :src="claim.invoice_photo_url" alt="发票照片（点击查看大图）"></a>
        </div>
        <p v-else class="muted">申请人未上传发票照片。</p>
      </div>

      <div v-if="claim.status === 'reserved'" class="panel narrow">
        <h2 style="margin-top:0">审核</h2>
        <el-alert v-if="formError" :title="formError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
        <el-form label-position="top" @submit.prevent>
          <el-form-item label="审核意见（驳回时必填，村民可见）"><el-input v-model="note" type="textarea" :rows="3" maxlength="255" /></el-form-item>
          <el-button type="success" :loading="busy === 'approve'" @click="decide(true)">通过</el-button>
          <el-button type="danger" :loading="busy === 'reject'" @click="decide(false)">驳回</el-button>
        </el-form>
      </div>

      <div class="panel narrow">
        <h2 style="margin-top:0">查看完整身份证号</h2>
        <p class="hint">身份证号属于个人信息，平时只显示部分号码。确需核对时，请写明用途；查看记录（谁、何时、用途）会保存在操作日志中。</p>
        <template v-if="revealed">
          <p class="revealed" aria-label="完整身份证号">{{ revealed.id_card_no }}</p>
          <p class="hint">已记录本次查看（记录编号 {{ revealed.access_id }}，{{ chinaTime(revealed.revealed_at) }}）。</p>
        </template>
        <template v-else>
          <el-alert v-if="revealError" :title="revealError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
          <el-form label-position="top" @submit.prevent="reveal">
            <el-form-item label="查看用途（必填）"><el-input v-model="purpose" maxlength="200" placeholder="如：核对发票抬头与申请人身份" /></el-form-item>
            <el-button native-type="submit" :loading="busy === 'reveal'">查看完整号码</el-button>
          </el-form>
        </template>
      </div>

      <div class="panel narrow">
        <h2 style="margin-top:0">处理记录</h2>
        <ol class="timeline">
          <li v-for="(e, i) in claim.history" :key="i">
            <strong>{{ e.status_label }}</strong> · {{ e.by_name || e.by_role_label }}
            <div class="when">{{ chinaTime(e.at) }}</div>
            <div v-if="e.note" style="white-space:pre-wrap">{{ e.note }}</div>
          </li>
        </ol>
      </div>
    </template>`,
};
