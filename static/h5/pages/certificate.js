// Certificate check: is this number a real, valid green building material certificate?
// Typed, or scanned from the certificate's QR code with the phone's camera.

import { api } from "/assets/shared/api.js";
import { go } from "/assets/h5/router.js";

// A certificate's QR holds its number, or a link to a page about it (…/LB2026GJ0433 or
// …?number=LB2026GJ0433): the number either way.
function numberIn(text) {
  try {
    const url = new URL(text);
    for (const key of ["number", "no", "certNo", "cert"]) {
      if (url.searchParams.get(key)) return url.searchParams.get(key).trim().toUpperCase();
    }
    const last = url.pathname.split("/").filter(Boolean).pop();
    return decodeURIComponent(last || "").trim().toUpperCase();
  } catch {
    return text.trim().toUpperCase();
  }
}

export default {
  props: { number: { type: String, default: "" } },
  setup(props) {
    const typed = Vue.ref(props.number);
    const result = Vue.ref(null);
    const notFound = Vue.ref(false);
    const error = Vue.ref("");
    const loading = Vue.ref(Boolean(props.number));
    if (props.number) {
      api.certificate(props.number).then((c) => { result.value = c; })
        .catch((e) => {
          if (e.code === "certificate_not_found") notFound.value = true;
          else error.value = e.friendly;
        })
        .finally(() => { loading.value = false; });
    }
    const check = () => {
      const number = typed.value.trim().toUpperCase();
      if (number) go(`/h5/certificates/${encodeURIComponent(number)}`);
    };

    // The camera: the shared scanner module, loaded only when the villager asks for it.
    const video = Vue.ref(null);
    const camera = Vue.ref(null);
    const cameraError = Vue.ref("");
    const starting = Vue.ref(false);
    const canScan = Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
    async function scan() {
      cameraError.value = "";
      if (camera.value) { camera.value.stop(); camera.value = null; return; }
      starting.value = true;
      try {
        const scanner = await import("/assets/shared/scanner.js");
        camera.value = await scanner.startCamera(video.value, (text) => {
          camera.value.stop();
          camera.value = null;
          typed.value = numberIn(scanner.cleanCode(text));
          check();
        });
      } catch (e) {
        cameraError.value = e.friendly || "摄像头打开失败，请手动输入证书编号";
      } finally {
        starting.value = false;
      }
    }
    Vue.onBeforeUnmount(() => camera.value && camera.value.stop());
    return { typed, result, notFound, error, loading, check, video, camera, cameraError, canScan,
      starting, scan };
  },
  template: `
    <van-nav-bar title="查认证证书" left-arrow left-text="返回" @click-left="$back()" />
    <form class="card" @submit.prevent="check">
      <van-field v-model="typed" label="证书编号" placeholder="例如 LB2026GJ0433" clearable
        autocomplete="off" label-align="top" />
      <van-button type="primary" block native-type="submit" class="big-button">查验</van-button>
      <van-button v-if="canScan" type="primary" plain block native-type="button" class="big-button"
        icon="scan" @click="scan">{{ camera ? '关闭摄像头' : '扫证书上的二维码' }}</van-button>
      <div v-show="camera || starting" class="scan-view">
        <video ref="video" aria-label="摄像头画面：把证书上的二维码对准这里" muted playsinline></video>
      </div>
      <p v-if="cameraError" class="error-text" role="alert">{{ cameraError }}</p>
    </form>
    <van-loading v-if="loading" class="page-loading" size="32" vertical>正在查验…</van-loading>
    <van-notice-bar v-if="error" color="#a61b1b" background="#fdecec" :text="error" />
    <section v-if="notFound" class="card verdict bad" role="status">
      <h2><van-icon name="close" /> 查无此证书</h2>
      <p>编号 {{ number }} 不在绿色建材认证证书库中。请核对编号是否抄错。</p>
      <div class="todo">
        <h3>怎么办？</h3>
        <p>如果商家声称这是绿色建材认证证书，可能是虚假宣传：请保留购买凭证，拨打 <a href="tel:12315">12315</a> 投诉举报。</p>
      </div>
    </section>
    <section v-if="result" class="card verdict" :class="result.status === 'valid' ? 'ok' : 'bad'" role="status">
      <h2 v-if="result.status === 'valid'"><van-icon name="passed" /> 真实有效的绿色建材认证证书</h2>
      <h2 v-else><van-icon name="warning-o" /> 证书真实，但现在{{ result.status_label }}，不能作为有效认证</h2>
      <van-cell-group>
        <van-cell title="证书编号" :value="result.number" />
        <van-cell title="状态" :value="result.status_label" />
        <van-cell title="星级" :value="result.star + ' 星'" />
        <van-cell title="认证产品" :label="result.product" />
        <van-cell title="生产企业" :label="result.enterprise && result.enterprise.name" />
        <van-cell title="发证机构" :label="result.issuer" />
        <van-cell title="有效期至" :value="result.valid_until" />
      </van-cell-group>
      <ul v-if="result.warnings && result.warnings.length" class="warnings">
        <li v-for="w in result.warnings" :key="w.code || w"><van-icon name="warning-o" /> {{ w.message || w }}</li>
      </ul>
      <div v-if="result.listed_products && result.listed_products.length">
        <h3>在售的认证商品</h3>
        <van-cell v-for="p in result.listed_products" :key="p.id" :title="p.name" :label="p.merchant"
          is-link :url="'/h5/products/' + p.id" />
      </div>
      <div v-if="result.status !== 'valid'" class="todo">
        <h3>怎么办？</h3>
        <p>此证书现在不能证明产品是绿色建材。购买前请向商家问清楚；如被误导购买，可拨打 <a href="tel:12315">12315</a> 投诉举报。</p>
      </div>
    </section>`,
};
