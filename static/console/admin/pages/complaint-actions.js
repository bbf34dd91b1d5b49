// The officer's actions on one complaint: the transitions its state allows (the server says
// which, in the complaint's `actions`; this only offers them), a transfer to
// another county, the complainant's full phone for a stated purpose (logged), and sending
// the product or its enterprise to the negative list.

import { api, chinaTime, errorText, toast } from "/assets/console/admin/api.js";
import RegionPicker from "/assets/shared/region-picker.js";

const { ref, reactive, computed } = Vue;

// action: [button label, note required, type]; which ones apply now is the server's answer
// (the complaint's `actions`, from app/complaints/services.TRANSITIONS).
const ACTIONS = {
  accept: ["受理", false, "primary"],
  decline: ["不予受理", true, "danger"],
  ask_merchant: ["转商家处理", false, "primary"],
  mediate: ["调解", true, "primary"],
  resolve: ["办结", true, "success"],
  close: ["结案", false, "primary"],
  transfer: ["转交其他县（区）", true, "default"],
};
const NOTE_LABEL = { decline: "不予受理的理由（必填，村民可见）", mediate: "调解情况（必填）", resolve: "办结意见（必填，村民可见）",
  transfer: "转交原因（必填）", accept: "说明（选填）", ask_merchant: "给商家的说明（选填）", close: "说明（选填）" };

export default {
  props: { complaint: { type: Object, required: true } },
  emits: ["changed"],
  components: { RegionPicker },
  setup(props, { emit }) {
    const chosen = ref("");
    const note = ref("");
    const region = ref("");
    const busy = ref("");
    const error = ref("");
    const purpose = ref("");
    const phone = ref(null);
    const phoneError = ref("");
    const negative = reactive({ target: "product", reason: "" });
    const negativeError = ref("");
    const negativeDone = ref(false);

    const allowed = computed(() => (props.complaint.actions || [])
      .filter((action) => ACTIONS[action])
      .map((action) => { const [label, required, type] = ACTIONS[action]; return { action, label, required, type }; }));
    const current = computed(() => allowed.value.find((a) => a.action === chosen.value) || null);
    const canNegative = computed(() => ["fake_certification", "quality"].includes(props.complaint.category)
      && props.complaint.product_id && !["submitted", "declined"].includes(props.complaint.status));

    function choose(action) { chosen.value = action; note.value = ""; error.value = ""; }
    async function submit() {
      error.value = "";
      const rule = current.value;
      if (rule.required && !note.value.trim()) { error.value = "请填写说明"; return; }
      const body = { action: rule.action, note: note.value.trim() || null };
      if (rule.action === "transfer") {
        const county = (region.value || "").slice(0, 6);
        if (county.length < 6 || county.endsWith("00")) { error.value = "请选择转交的县（区）"; return; }
        body.region_code = county;
      }
      busy.value = "transition";
      try {
        const updated = await api.post(`/admin/complaints/${props.complaint.id}/transitions`, body);
        chosen.value = "";
        toast(`已${rule.label}`);
        emit("changed", updated);
      } catch (e) {
        error.value = errorText(e);
      } finally {
        busy.value = "";
      }
    }
    async function revealPhone() {
      phoneError.value = "";
      if (purpose.value.trim().length < 2) { phoneError.value = "请写明查看用途（至少 2 个字）"; return; }
      busy.value = "phone";
      try {
        phone.value = await api.post(`/admin/complaints/${props.complaint.id}/reveal-phone`, { purpose: purpose.value.trim() });
      } catch (e) {
        phoneError.value = errorText(e);
      } finally {
        busy.value = "";
      }
    }
    async function sendNegative() {
      negativeError.value = "";
      if (negative.reason.trim().length < 2) { negativeError.value = "请填写列入原因"; return; }
      busy.value = "negative";
      try {
        await api.post(`/admin/complaints/${props.complaint.id}/negative-list`, { target: negative.target, reason: negative.reason.trim() });
        toast(negative.target === "product" ? "商品已列入负面清单" : "生产企业已列入负面清单");
        try { emit("changed", await api.get(`/admin/complaints/${props.complaint.id}`)); } catch { /* shown on reload */ }
        negativeDone.value = true;
      } catch (e) {
        negativeError.value = errorText(e);
      } finally {
        busy.value = "";
      }
    }
    return { allowed, chosen, current, choose, note, region, busy, error, submit, purpose, phone, phoneError, revealPhone,
      negative, negativeError, negativeDone, canNegative, sendNegative, chinaTime, NOTE_LABEL };
  },
  template: `
    <div>
      <section class="panel" aria-labelledby="actions-title">
        <h2 id="actions-title" style="margin-top:0">处理</h2>
        <p v-if="!allowed.length" class="muted">当前状态（{{ complaint.status_label }}）无需主管部门操作。</p>
        <div v-else class="toolbar">
          <el-button v-for="a in allowed" :key="a.action" :type="a.action === chosen ? a.type : 'default'" :plain="a.action !== chosen"
            :aria-pressed="a.action === chosen ? 'true' : 'false'" @click="choose(a.action)">{{ a.label }}</el-button>
        </div>
        <el-form v-if="current" label-position="top" @submit.prevent="submit">
          <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
          <fieldset v-if="current.action === 'transfer'" class="plain"><legend>转交到（选到县、区）</legend>
            <region-picker v-model="region" id-prefix="transfer-region" /></fieldset>
          <el-form-item :label="NOTE_LABEL[current.action]"><el-input v-model="note" type="textarea" :rows="3" maxlength="2000" /></el-form-item>
          <el-button :type="current.type === 'default' ? 'primary' : current.type" native-type="submit" :loading="busy === 'transition'">确认{{ current.label }}</el-button>
          <el-button @click="chosen = ''">取消</el-button>
        </el-form>
      </section>

      <section v-if="complaint.phone" class="panel" aria-labelledby="phone-title">
        <h2 id="phone-title" style="margin-top:0">联系投诉人</h2>
        <p class="hint">电话号码属于个人信息。需要回访时写明用途后查看完整号码，查看记录会保存在操作日志中。</p>
        <template v-if="phone">
          <p class="revealed" aria-label="完整电话号码">{{ phone.phone }}</p>
          <p class="hint">已记录本次查看（记录编号 {{ phone.access_id }}，{{ chinaTime(phone.revealed_at) }}）。</p>
        </template>
        <el-form v-else label-position="top" @submit.prevent="revealPhone">
          <el-alert v-if="phoneError" :title="phoneError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
          <el-form-item label="查看用途（必填）"><el-input v-model="purpose" maxlength="200" placeholder="如：电话回访投诉人，核实诉求" /></el-form-item>
          <el-button native-type="submit" :loading="busy === 'phone'">查看完整号码</el-button>
        </el-form>
      </section>

      <section v-if="canNegative" class="panel" aria-labelledby="negative-title">
        <h2 id="negative-title" style="margin-top:0">列入负面清单</h2>
        <p class="hint">查实虚假认证或质量问题的，可把商品或其生产企业列入负面清单：立即停止活动展示、促销和新的补贴申请。</p>
        <p v-if="negativeDone" role="status">已列入负面清单。</p>
        <el-form v-else label-position="top" @submit.prevent="sendNegative">
          <el-alert v-if="negativeError" :title="negativeError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
          <fieldset class="plain"><legend>列入对象</legend>
            <label style="margin-right:16px"><input type="radio" value="product" v-model="negative.target"> 该商品</label>
            <label><input type="radio" value="enterprise" v-model="negative.target"> 该商品的生产企业</label>
          </fieldset>
          <el-form-item label="列入原因（必填）"><el-input v-model="negative.reason" maxlength="255" /></el-form-item>
          <el-button type="danger" native-type="submit" :loading="busy === 'negative'">列入负面清单</el-button>
        </el-form>
      </section>
    </div>`,
};
