// 投诉举报 (12315-style): what it is about, what happened, photos; the complaint goes to the
// market regulator of the merchant's county (else the villager's) and gets a tracking number.

import { api, token } from "/assets/shared/api.js";
import { go, route } from "/assets/h5/router.js";
import LoginBox from "/assets/h5/login-box.js";
import { PhotoPicker, photoIds } from "/assets/h5/photos.js";

// The backend's categories (app/complaints/models.py CATEGORIES), in the villager's words.
export const CATEGORIES = [
  { code: "quality", name: "产品质量" },
  { code: "fake_certification", name: "虚假认证" },
  { code: "promotion_not_honoured", name: "优惠未兑现" },
  { code: "price", name: "价格问题" },
  { code: "installation_service", name: "安装与售后服务" },
  { code: "expo_organisation", name: "展会组织" },
  { code: "subsidy", name: "补贴问题" },
  { code: "other", name: "其他" },
];

// Province → city → county, each a labelled native select (large, works with any screen reader).
const RegionPicker = {
  props: { modelValue: { type: String, default: "" } },
  emits: ["update:modelValue"],
  setup(_, { emit }) {
    const levels = Vue.reactive([
      { label: "省份", options: [], value: "" },
      { label: "城市", options: [], value: "" },
      { label: "县（区）", options: [], value: "" },
    ]);
    async function fill(index, parent) {
      try {
        levels[index].options = await api.get("/regions", parent ? { parent } : undefined);
      } catch {
        levels[index].options = [];
      }
    }
    function changed(index) {
      for (let i = index + 1; i < levels.length; i += 1) { levels[i].value = ""; levels[i].options = []; }
      const value = levels[index].value;
      if (value && index < levels.length - 1) fill(index + 1, value);
      emit("update:modelValue", index === levels.length - 1 ? value : "");
    }
    fill(0, null);
    return { levels, changed };
  },
  template: `
    <div class="region-picker">
      <template v-for="(level, i) in levels" :key="i">
        <label class="field-label" :for="'region-' + i">{{ level.label }}</label>
        <select :id="'region-' + i" v-model="level.value" class="big-select"
          :disabled="i > 0 && !levels[i - 1].value" @change="changed(i)">
          <option value="">请选择{{ level.label }}</option>
          <option v-for="r in level.options" :key="r.code" :value="r.code">{{ r.name }}</option>
        </select>
      </template>
    </div>`,
};

export default {
  components: { LoginBox, PhotoPicker, RegionPicker },
  setup() {
    const q = route.query;
    const links = { merchant_id: q.get("merchant"), product_id: q.get("product"), expo_id: q.get("expo") };
    const about = Vue.ref(""); // what the complaint concerns, in words
    const needLogin = Vue.ref(!token.get());
    const me = Vue.ref(null);
    const form = Vue.reactive({ category: "", description: "", phone: "", region: "", photos: [] });
    const errors = Vue.reactive({});
    const failure = Vue.ref("");
    const busy = Vue.ref(false);
    const needRegion = Vue.computed(() => !links.merchant_id && !links.product_id && me.value && !me.value.region_code);

    async function load() {
      needLogin.value = !token.get();
      if (needLogin.value) return;
      try {
        me.value = await api.get("/me");
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
      }
    }
    async function describe() {
      try {
        if (links.product_id) {
          const p = await api.product(links.product_id);
          about.value = `商品“${p.name}”（${p.merchant.name}）`;
          if (!form.category) form.category = "quality";
        } else if (links.expo_id) {
          const e = await api.expo(links.expo_id);
          about.value = `展销会“${e.title}”`;
          if (!form.category) form.category = "expo_organisation";
        } else if (links.merchant_id) {
          about.value = "所选商家";
        }
      } catch { /* the server checks the links again */ }
    }

    async function submit() {
      Object.keys(errors).forEach((k) => { errors[k] = ""; });
      failure.value = "";
      if (!form.category) errors.category = "请选择投诉类型";
      if (form.description.trim().length < 5) errors.description = "请把经过写清楚，至少 5 个字";
      const phone = form.phone.replace(/\s|-/g, "");
      if (phone && !/^1\d{10}$/.test(phone)) errors.phone = "请填写 11 位手机号，或留空";
      if (needRegion.value && !form.region) errors.region = "请选择您所在的县（区）";
      const photos = photoIds(form.photos);
      if (photos.error) errors.photos = photos.error;
      if (Object.values(errors).some(Boolean)) {
        vant.showToast("请检查标红的内容");
        return;
      }
      const body = { category: form.category, description: form.description.trim(), photo_upload_ids: photos.ids };
      for (const [key, value] of Object.entries(links)) if (value) body[key] = Number(value);
      if (phone) body.phone = phone;
      if (form.region) body.region_code = form.region;
      busy.value = true;
      try {
        const { complaint } = await api.post("/complaints", body);
        vant.showToast({ message: "投诉已提交", type: "success" });
        go(`/h5/complaints/${complaint.id}?new=1`, { replace: true });
      } catch (e) {
        if (e.status === 401) { needLogin.value = true; return; }
        const map = { category: "category", description: "description", phone: "phone",
          region_code: "region", photo_upload_ids: "photos", photos: "photos" };
        for (const [field, messages] of Object.entries(e.body.errors || {})) {
          if (map[field]) errors[map[field]] = [].concat(messages).join("；");
        }
        failure.value = e.friendly;
      } finally {
        busy.value = false;
      }
    }
    load();
    describe();
    return { needLogin, me, form, errors, failure, busy, about, needRegion, load, submit, CATEGORIES };
  },
  template: `
    <van-nav-bar title="投诉举报" left-arrow left-text="返回" @click-left="$back()" />
    <login-box v-if="needLogin" @done="load" />
    <form v-else class="services-form" novalidate @submit.prevent="submit">
      <section class="card notice">
        <p>买到假冒认证、质量不合格的建材，优惠或补贴没兑现，都可以在这里投诉。
          市场监管部门会在 7 个工作日内决定是否受理，进度可以在“我的投诉”里查看。</p>
        <p v-if="about"><strong>投诉对象：</strong>{{ about }}</p>
      </section>
      <fieldset class="card choice-group">
        <legend>投诉类型</legend>
        <label v-for="c in CATEGORIES" :key="c.code" class="choice" :class="{ 'is-checked': form.category === c.code }">
          <input type="radio" name="category" :value="c.code" v-model="form.category">
          <span>{{ c.name }}</span>
        </label>
        <p class="field-error" v-if="errors.category" role="alert">{{ errors.category }}</p>
      </fieldset>
      <section class="card">
        <label class="field-label" for="complaint-text">问题经过</label>
        <textarea id="complaint-text" v-model="form.description" class="big-input" rows="6" maxlength="2000"
          placeholder="什么时候、在哪家店、买了什么、出了什么问题、希望怎样解决"
          :aria-invalid="Boolean(errors.description)"></textarea>
        <p class="char-count muted">{{ form.description.length }}/2000</p>
        <p class="field-error" v-if="errors.description" role="alert">{{ errors.description }}</p>
        <label class="field-label" for="complaint-phone">联系电话（选填）</label>
        <input id="complaint-phone" v-model="form.phone" type="tel" inputmode="tel" class="big-input"
          autocomplete="tel" placeholder="不填则使用账号绑定的手机号" :aria-invalid="Boolean(errors.phone)">
        <p class="field-error" v-if="errors.phone" role="alert">{{ errors.phone }}</p>
      </section>
      <section v-if="needRegion" class="card">
        <h2>您所在的地区</h2>
        <p class="muted">投诉会转交当地县（区）市场监管部门处理。</p>
        <region-picker v-model="form.region" />
        <p class="field-error" v-if="errors.region" role="alert">{{ errors.region }}</p>
      </section>
      <section class="card">
        <h2>照片凭证（选填，最多 9 张）</h2>
        <p class="muted">商品、发票、聊天记录的照片都可以，会自动压缩后上传。</p>
        <photo-picker v-model="form.photos" :max="9" label="照片" />
        <p class="field-error" v-if="errors.photos" role="alert">{{ errors.photos }}</p>
      </section>
      <p v-if="failure" class="card refusal" role="alert"><van-icon name="warning-o" aria-hidden="true" /> {{ failure }}</p>
      <div class="form-actions">
        <van-button type="primary" block native-type="submit" class="big-button" :loading="busy"
          loading-text="正在提交…">提交投诉</van-button>
        <app-link to="/h5/me/complaints" class="text-link">查看我的投诉 ›</app-link>
      </div>
    </form>`,
};
