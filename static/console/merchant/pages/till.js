// The till: a villager's coupon code (typed, a keyboard-wedge scanner, or the camera), the
// order amount, the product when the coupon needs one → redeem; reverse within 30 minutes.

import { all, api, chinaTime, errorText, isOwner, toFen, yuan } from "/assets/console/merchant/api.js";

const { nextTick, onBeforeUnmount, onMounted, reactive, ref, watch } = Vue;

// The gate app's scanner module (camera + wedge), when it is deployed; the till works without it.
const SCANNER = "/assets/shared/scanner.js";

export default {
  setup() {
    const form = reactive({ code: "", amount: "", product: "" });
    const products = ref([]);
    const busy = ref(false);
    const result = ref(null); // {kind: "ok"|"refused"|"reversed", redemption?, message?}
    const productNeeded = ref(false);
    const reverseOpen = ref(false);
    const reason = ref("收银操作失误");
    const reverseError = ref("");
    const scanner = ref(null);
    const camera = ref(null);
    const cameraError = ref("");
    const video = ref(null);
    let stopWedge = null;
    // What redeeming would give, asked as soon as code and amount are there (nothing changes).
    const preview = ref(null); // {discount_fen, paid_fen, title} | {message}
    let previewTimer = null;
    let previewAsked = 0;
    watch(() => [form.code, form.amount, form.product], () => {
      clearTimeout(previewTimer);
      preview.value = null;
      const code = form.code.trim();
      const amount = toFen(form.amount);
      if (!code || !amount) return;
      const body = { code, order_amount_fen: amount };
      if (form.product) body.product_id = Number(form.product);
      previewTimer = setTimeout(async () => {
        const asked = ++previewAsked;
        try {
          const answer = await api.post("/merchant/redemptions/preview", body);
          if (asked === previewAsked) preview.value = answer;
        } catch (e) {
          if (asked === previewAsked) preview.value = { message: errorText(e) };
        }
      }, 350);
    });

    const focus = (id) => nextTick(() => { const el = document.getElementById(id); if (el) el.focus(); });

    function codeEntered() {
      if (!form.code.trim()) return;
      if (toFen(form.amount)) redeem();
      else focus("till-amount");
    }
    function scanned(text) {
      form.code = scanner.value ? scanner.value.cleanCode(text) : text.trim();
      result.value = null;
      if (camera.value) camera.value.pause();
      focus("till-amount");
    }

    async function redeem() {
      const code = form.code.trim();
      const amount = toFen(form.amount);
      if (!code) { result.value = { kind: "refused", message: "请输入或扫描顾客的优惠券码" }; focus("till-code"); return; }
      if (!amount) { result.value = { kind: "refused", message: "请输入正确的订单金额（元）" }; focus("till-amount"); return; }
      busy.value = true;
      const body = { code, order_amount_fen: amount };
      if (form.product) body.product_id = Number(form.product);
      try {
        const redemption = await api.post("/merchant/redemptions", body);
        result.value = { kind: "ok", redemption };
        productNeeded.value = false;
      } catch (e) {
        productNeeded.value = ["product_required", "coupon_out_of_scope", "product_not_in_shop", "product_not_eligible"].includes(e.code);
        result.value = { kind: "refused", message: errorText(e), code: e.code };
        if (productNeeded.value) focus("till-product");
      } finally {
        busy.value = false;
      }
    }
    function next() {
      Object.assign(form, { code: "", amount: "", product: "" });
      preview.value = null;
      result.value = null;
      productNeeded.value = false;
      if (camera.value) camera.value.resume();
      focus("till-code");
    }
    async function reverse() {
      reverseError.value = "";
      try {
        const redemption = await api.post(`/merchant/redemptions/${result.value.redemption.id}/reverse`, { reason: reason.value });
        result.value = { kind: "reversed", redemption };
        reverseOpen.value = false;
      } catch (e) {
        reverseError.value = errorText(e);
      }
    }
    async function toggleCamera() {
      cameraError.value = "";
      if (camera.value) { camera.value.stop(); camera.value = null; return; }
      try {
        camera.value = await scanner.value.startCamera(video.value, scanned, { repeatMs: 3000 });
      } catch (e) {
        cameraError.value = e.friendly || "摄像头打开失败，请改用扫码枪或手动输入";
      }
    }

    onMounted(async () => {
      focus("till-code");
      try { products.value = await all("/merchant/products", { status: "listed" }); } catch { /* optional */ }
      try {
        scanner.value = await import(SCANNER);
        // A wedge scanner used while no field has focus still lands in the till.
        stopWedge = scanner.value.listenWedge((text) => scanned(text));
      } catch {
        scanner.value = null; // no scanner module: typed codes and wedge-into-the-field only
      }
    });
    onBeforeUnmount(() => {
      if (camera.value) camera.value.stop();
      if (stopWedge) stopWedge();
    });

    const cameraPossible = () => scanner.value && scanner.value.cameraAvailable();
    return { form, products, busy, result, productNeeded, preview, reverseOpen, reason, reverseError, camera, cameraError,
      video, codeEntered, redeem, next, reverse, toggleCamera, cameraPossible, yuan, chinaTime, owner: isOwner() };
  },
  template: `
    <div class="till">
      <h1>收银核销</h1>
      <form class="panel" @submit.prevent="redeem" novalidate>
        <div class="till-fields">
          <div class="till-field">
            <label for="till-code" class="till-label">顾客的优惠券码</label>
            <div class="till-row">
              <el-input id="till-code" class="code-input" v-model="form.code" size="large" autocomplete="off" autocapitalize="characters"
                spellcheck="false" placeholder="扫码或输入券码" @keydown.enter.prevent="codeEntered" />
              <el-button v-if="cameraPossible()" size="large" @click="toggleCamera" :aria-pressed="camera ? 'true' : 'false'">
                {{ camera ? '关闭摄像头' : '摄像头扫码' }}</el-button>
            </div>
            <p class="hint">扫码枪扫描后会自动填入；也可以让顾客出示券码后手动输入。</p>
          </div>
          <div v-show="camera" class="camera"><video ref="video" aria-label="摄像头画面：把顾客的券码二维码对准这里"></video></div>
          <p v-if="cameraError" class="hint" role="alert" style="color:#8f1e18">{{ cameraError }}</p>
          <div class="till-field">
            <label for="till-amount" class="till-label">订单金额（元，促销价计）</label>
            <div class="till-row">
              <el-input id="till-amount" v-model="form.amount" size="large" inputmode="decimal" autocomplete="off" placeholder="例如 1280.00" />
            </div>
          </div>
          <div class="till-field">
            <label for="till-product" class="till-label">购买的商品{{ productNeeded ? '（这张券限定商品，请选择）' : '（限定商品的券必选）' }}</label>
            <div class="till-row">
              <select id="till-product" class="native" style="min-height:40px;font-size:16px" v-model="form.product"
                :aria-invalid="productNeeded ? 'true' : null">
                <option value="">不指定商品（全店通用券）</option>
                <option v-for="p in products" :key="p.id" :value="String(p.id)">{{ p.name }}（{{ yuan(p.price_fen) }}/{{ p.unit }}）</option>
              </select>
            </div>
          </div>
          <p v-if="preview && !result" class="till-preview" role="status">
            <template v-if="preview.message">{{ preview.message }}</template>
            <template v-else>{{ preview.title }}：优惠 <strong>{{ yuan(preview.discount_fen) }}</strong>，
              顾客应付 <strong class="pay">{{ yuan(preview.paid_fen) }}</strong></template>
          </p>
          <el-button type="primary" native-type="submit" class="big-button" :loading="busy">核销</el-button>
        </div>
      </form>

      <section v-if="result" aria-live="polite">
        <div v-if="result.kind === 'ok'" class="receipt ok" role="status">
          <h2>✔ 核销成功</h2>
          <dl>
            <dt>订单金额</dt><dd>{{ yuan(result.redemption.order_amount_fen) }}</dd>
            <dt>优惠券抵扣</dt><dd class="discount">−{{ yuan(result.redemption.discount_fen) }}</dd>
            <dt>顾客应付</dt><dd class="pay">{{ yuan(result.redemption.paid_fen) }}</dd>
            <dt>核销时间</dt><dd>{{ chinaTime(result.redemption.created_at) }}</dd>
          </dl>
          <div class="toolbar" style="margin:14px 0 0">
            <el-button type="primary" @click="next">下一位顾客</el-button>
            <el-button v-if="owner" type="warning" plain @click="reverseOpen = true">撤销这笔核销</el-button>
          </div>
          <p class="hint">收错了？店主可在 30 分钟内撤销，优惠券会退回给顾客。</p>
        </div>
        <div v-else-if="result.kind === 'reversed'" class="receipt reversed" role="status">
          <h2>已撤销核销</h2>
          <p>优惠券已退回给顾客，可以重新使用。原因：{{ result.redemption.reverse_reason }}</p>
          <el-button type="primary" @click="next">下一位顾客</el-button>
        </div>
        <div v-else class="receipt refused" role="alert">
          <h2>✘ 不能核销</h2>
          <p>{{ result.message }}</p>
          <el-button style="margin-top:12px" @click="next">清空，换下一张券</el-button>
        </div>
      </section>

      <el-dialog v-model="reverseOpen" title="撤销核销" width="min(440px, 94vw)">
        <el-alert v-if="reverseError" :title="reverseError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
        <el-form label-position="top" @submit.prevent="reverse">
          <el-form-item label="撤销原因"><el-input v-model="reason" /></el-form-item>
          <el-button type="warning" native-type="submit">确认撤销</el-button>
          <el-button @click="reverseOpen = false">取消</el-button>
        </el-form>
      </el-dialog>
    </div>`,
};
