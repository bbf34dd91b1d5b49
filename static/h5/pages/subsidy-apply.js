// Apply for a subsidy: programme, the product bought (and so its merchant), price paid,
// invoice number, purchase date and a photo of the invoice. The server checks eligibility,
// computes the amount and reserves it at once; refusals are explained in Chinese.

import { api, token, yuan } from "/assets/shared/api.js";
import { go, route } from "/assets/h5/router.js";
import LoginBox from "/assets/h5/login-box.js";
import { PhotoPicker, photoIds } from "/assets/h5/photos.js";
import { percent } from "/assets/h5/pages/subsidies.js";

// Today's date in China (YYYY-MM-DD), whatever the phone's own time zone.
export function chinaToday() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
}

// "1,234.5" or "１２３４.５" typed into a yuan field → integer fen, or null when not a sum.
export function toFen(text) {
  const clean = String(text || "").normalize("NFKC").replace(/[,，\s¥￥元]/g, "");
  if (!/^\d+(\.\d{0,2})?$/.test(clean)) return null;
  return Math.round(parseFloat(clean) * 100);
}

const REFUSALS = ["budget_exhausted", "personal_cap_reached", "duplicate_invoice"];

export default {
  components: { LoginBox, PhotoPicker },
  setup() {
    const q = route.query;
    const needLogin = Vue.ref(!token.get());
    const programs = Vue.ref(null);
    const loadError = Vue.ref("");
    const form = Vue.reactive({
      program: q.get("program") || "", price: "", invoiceNo: "", date: chinaToday(), photos: [],
    });
    const presetMerchant = q.get("merchant") || "";
    const product = Vue.ref(null); // {id, name, merchant: {id, name}, price_fen}
    const search = Vue.reactive({ text: "", results: null, busy: false });
    const errors = Vue.reactive({});
    const refusal = Vue.ref(null); // {text, profile}
    const busy = Vue.ref(false);
    const today = chinaToday();

    async function load() {
      needLogin.value = !token.get();
      if (needLogin.value) return;
      try {
        const page = await api.get("/subsidy-programs", { limit: 50 });
        programs.value = page.items;
        if (!form.program && page.items.length === 1) form.program = String(page.items[0].id);
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else loadError.value = e.friendly;
      }
    }
    async function presetProduct() {
      if (!q.get("product")) return;
      try {
        product.value = await api.product(q.get("product"));
      } catch (e) {
        errors.product = "预选的商品已下架或不存在，请重新选择";
      }
    }
    async function find() {
      const text = search.text.trim();
      if (!text) { errors.product = "请输入商品名称搜索"; return; }
      errors.product = "";
      search.busy = true;
      try {
        const page = await api.products({ q: text, limit: 20 });
        search.results = presetMerchant
          ? page.items.filter((p) => String(p.merchant.id) === presetMerchant) : page.items;
      } catch (e) {
        errors.product = e.friendly;
      } finally {
        search.busy = false;
      }
    }
    function choose(p) {
      product.value = p;
      search.results = null;
      errors.product = "";
      if (!form.price) form.price = ((p.promo_price_fen ?? p.price_fen) / 100).toFixed(2);
    }
    const program = Vue.computed(() => (programs.value || []).find((p) => String(p.id) === String(form.program)));
    const estimate = Vue.computed(() => {
      const fen = toFen(form.price);
      if (!program.value || !fen) return null;
      return Math.min(Math.floor(fen * program.value.rate_bp / 10000), program.value.cap_per_item_fen);
    });

    async function submit() {
      Object.keys(errors).forEach((k) => { errors[k] = ""; });
      refusal.value = null;
      const fen = toFen(form.price);
      if (!form.program) errors.program = "请选择补贴项目";
      if (!product.value) errors.product = "请选择购买的商品";
      if (!fen) errors.price = "请填写实付金额，例如 1280 或 1280.50";
      if (form.invoiceNo.trim().length < 4) errors.invoiceNo = "请填写发票上的发票号码";
      if (!form.date) errors.date = "请选择购买日期";
      else if (form.date > today) errors.date = "购买日期不能晚于今天";
      const photos = photoIds(form.photos);
      if (photos.error) errors.photo = photos.error;
      else if (!photos.ids.length) errors.photo = "请拍摄或选择发票照片";
      if (Object.values(errors).some(Boolean)) {
        vant.showToast("请检查标红的内容");
        return;
      }
      busy.value = true;
      try {
        await api.post("/subsidy-claims", {
          program_id: Number(form.program), merchant_id: product.value.merchant.id,
          product_id: product.value.id, price_paid_fen: fen, invoice_no: form.invoiceNo.trim(),
          purchase_date: form.date, invoice_upload_id: photos.ids[0],
        });
        vant.showToast({ message: "申请已提交，补贴已预留", type: "success" });
        go("/h5/me/subsidies");
      } catch (e) {
        if (e.status === 401) { needLogin.value = true; return; }
        if (e.code === "not_eligible") {
          refusal.value = { text: `不符合补贴条件：${e.message}`, profile: e.body.reason === "profile_incomplete" };
        } else if (REFUSALS.includes(e.code)) {
          refusal.value = { text: e.friendly };
        } else if (e.body.errors) {
          const map = { program_id: "program", product_id: "product", merchant_id: "product",
            price_paid_fen: "price", invoice_no: "invoiceNo", purchase_date: "date",
            invoice_upload_id: "photo" };
          for (const [field, messages] of Object.entries(e.body.errors)) {
            errors[map[field] || "form"] = [].concat(messages).join("；");
          }
          refusal.value = { text: e.friendly };
        } else {
          refusal.value = { text: e.friendly };
        }
      } finally {
        busy.value = false;
      }
    }
    load();
    presetProduct();
    return { needLogin, programs, loadError, form, product, search, errors, refusal, busy, today,
      program, estimate, load, find, choose, submit, yuan, percent };
  },
  template: `
    <van-nav-bar title="填写补贴申请" left-arrow left-text="返回" @click-left="$back()" />
    <login-box v-if="needLogin" @done="load" />
    <van-empty v-else-if="loadError" image="error" :description="loadError" />
    <van-loading v-else-if="!programs" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <van-empty v-else-if="!programs.length" description="您所在地区暂时没有开放的补贴项目">
      <app-link to="/h5/subsidies" class="van-button van-button--primary van-button--normal">返回补贴项目</app-link>
    </van-empty>
    <form v-else class="services-form" novalidate @submit.prevent="submit">
      <section class="card">
        <label class="field-label" for="apply-program">补贴项目</label>
        <select id="apply-program" v-model="form.program" class="big-select"
          :aria-invalid="Boolean(errors.program)" aria-describedby="apply-program-error">
          <option value="" disabled>请选择补贴项目</option>
          <option v-for="p in programs" :key="p.id" :value="String(p.id)">{{ p.title }}</option>
        </select>
        <p id="apply-program-error" class="field-error" v-if="errors.program">{{ errors.program }}</p>
        <p v-if="program" class="muted">补贴 {{ percent(program.rate_bp) }}，单件最高 {{ yuan(program.cap_per_item_fen) }}，
          剩余额度 {{ yuan(program.remaining_fen) }}。品类：{{ program.categories.map((c) => c.name).join("、") }}</p>
      </section>

      <section class="card" aria-labelledby="apply-product-title">
        <h2 id="apply-product-title">购买的商品</h2>
        <div v-if="product" class="chosen-product">
          <p><strong>{{ product.name }}</strong></p>
          <p class="muted">商家：{{ product.merchant.name }}</p>
          <van-button plain type="primary" native-type="button" size="normal" @click="product = null">换一个商品</van-button>
        </div>
        <template v-else>
          <div class="search-row">
            <label class="visually-hidden" for="apply-search">搜索商品名称</label>
            <input id="apply-search" v-model="search.text" type="search" class="big-input"
              placeholder="输入商品名称，如 防盗门" enterkeyhint="search" @keydown.enter.prevent="find">
            <van-button type="primary" native-type="button" :loading="search.busy" @click="find">搜索</van-button>
          </div>
          <ul v-if="search.results" class="pick-list">
            <li v-if="!search.results.length" class="muted">没有找到，换个词试试</li>
            <li v-for="p in search.results" :key="p.id">
              <button type="button" class="pick-item" @click="choose(p)">
                <span class="pick-name">{{ p.name }}</span>
                <span class="muted">{{ p.merchant.name }} · {{ yuan(p.promo_price_fen ?? p.price_fen) }}</span>
              </button>
            </li>
          </ul>
        </template>
        <p class="field-error" v-if="errors.product" role="alert">{{ errors.product }}</p>
      </section>

      <section class="card">
        <label class="field-label" for="apply-price">实付金额（元）</label>
        <input id="apply-price" v-model="form.price" class="big-input" inputmode="decimal" autocomplete="off"
          placeholder="发票上的金额，如 1280.00" :aria-invalid="Boolean(errors.price)">
        <p class="field-error" v-if="errors.price">{{ errors.price }}</p>
        <p v-if="estimate" class="muted">预计可补贴约 <strong class="money">{{ yuan(estimate) }}</strong>（以审核结果为准）</p>

        <label class="field-label" for="apply-invoice">发票号码</label>
        <input id="apply-invoice" v-model="form.invoiceNo" class="big-input" autocomplete="off"
          placeholder="发票右上角的号码" :aria-invalid="Boolean(errors.invoiceNo)">
        <p class="field-error" v-if="errors.invoiceNo">{{ errors.invoiceNo }}</p>

        <label class="field-label" for="apply-date">购买日期</label>
        <input id="apply-date" v-model="form.date" type="date" class="big-input" :max="today"
          :aria-invalid="Boolean(errors.date)">
        <p class="field-error" v-if="errors.date">{{ errors.date }}</p>
      </section>

      <section class="card">
        <h2>发票照片</h2>
        <p class="muted">请拍清发票号码和金额，照片会自动压缩后上传。</p>
        <photo-picker v-model="form.photos" :max="1" label="发票照片" />
        <p class="field-error" v-if="errors.photo" role="alert">{{ errors.photo }}</p>
      </section>

      <section v-if="refusal" class="card refusal" role="alert">
        <h2><van-icon name="warning-o" aria-hidden="true" /> 申请未通过</h2>
        <p>{{ refusal.text }}</p>
        <app-link v-if="refusal.profile" to="/h5/me" class="text-link">去完善实名信息 ›</app-link>
      </section>
      <div class="form-actions">
        <van-button type="primary" block native-type="submit" class="big-button" :loading="busy"
          loading-text="正在提交…">提交申请</van-button>
      </div>
    </form>`,
};
