// 上门服务: the shops' home-visit services (measure, design, installation, construction) and
// the booking form (address, preferred China time, phone); booking needs a login.

import { api, token } from "/assets/shared/api.js";
import { go } from "/assets/h5/router.js";
import LoginBox from "/assets/h5/login-box.js";

const PHONE = /^1[3-9]\d{9}$/;
// Tomorrow's date in China ("2026-12-03"), whatever the phone's own zone.
const chinaTomorrow = () => new Date(Date.now() + 32 * 3600 * 1000).toISOString().slice(0, 10);

export default {
  components: { LoginBox },
  setup() {
    const offers = Vue.ref(null);
    const error = Vue.ref("");
    const chosen = Vue.ref(null);
    const needLogin = Vue.ref(false);
    const earliest = chinaTomorrow();
    const form = Vue.reactive({ address: "", date: earliest, time: "09:00", phone: "", note: "" });
    const errors = Vue.reactive({});
    const failure = Vue.ref("");
    const busy = Vue.ref(false);
    api.get("/service-offers", { limit: 100 }).then((page) => { offers.value = page.items; })
      .catch((e) => { error.value = e.friendly; });

    async function choose(offer) {
      chosen.value = offer;
      failure.value = "";
      needLogin.value = !token.get();
      if (!needLogin.value && !form.phone) {
        try { form.phone = (await api.get("/me")).phone || ""; } catch { /* typed by hand */ }
      }
      Vue.nextTick(() => document.getElementById("booking-form")?.scrollIntoView());
    }
    async function submit() {
      for (const key of Object.keys(errors)) delete errors[key];
      failure.value = "";
      if (form.address.trim().length < 5) errors.address = "请填写详细地址（村、组、门牌号）";
      if (!PHONE.test(form.phone.trim())) errors.phone = "请填写 11 位手机号";
      if (!form.date || !form.time) errors.when = "请选择希望上门的日期和时间";
      if (Object.keys(errors).length) return;
      busy.value = true;
      try {
        await api.post("/me/bookings", {
          offer_id: chosen.value.id, address: form.address.trim(), phone: form.phone.trim(),
          preferred_at: `${form.date}T${form.time}:00+08:00`, note: form.note.trim(),
        });
        vant.showToast({ message: "预约已提交", type: "success" });
        go("/h5/me/bookings");
      } catch (e) {
        if (e.status === 401) { needLogin.value = true; return; }
        const map = { address: "address", phone: "phone", preferred_at: "when" };
        for (const [field, messages] of Object.entries(e.body.errors || {})) {
          if (map[field]) errors[map[field]] = [].concat(messages).join("；");
        }
        failure.value = e.friendly;
      } finally {
        busy.value = false;
      }
    }
    const loggedIn = () => { needLogin.value = false; choose(chosen.value); };
    return { offers, error, chosen, needLogin, earliest, form, errors, failure, busy, choose, submit, loggedIn };
  },
  template: `
    <van-nav-bar title="预约上门服务" left-arrow left-text="返回" @click-left="$back()" />
    <p class="filter-note muted">店里的师傅上门测量、设计、安装，选一项预约即可。</p>
    <van-empty v-if="error" image="error" :description="error" />
    <van-loading v-else-if="!offers" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <van-empty v-else-if="!offers.length" description="附近暂时没有上门服务" />
    <article v-for="o in offers || []" :key="o.id" class="card offer" :data-offer-id="o.id">
      <h2>{{ o.name }}</h2>
      <p><van-tag type="primary" class="services-status">{{ o.kind_label }}</van-tag>
        <strong class="price"> {{ o.price_label }}</strong></p>
      <p>{{ o.description }}</p>
      <p class="muted small">{{ o.shop_name }}（{{ o.shop_type_label }}）· {{ o.shop_address }}</p>
      <van-button type="primary" size="small" class="offer-book" @click="choose(o)">预约上门</van-button>
    </article>
    <section v-if="chosen" id="booking-form" class="card booking-form" aria-labelledby="booking-title">
      <h2 id="booking-title">预约：{{ chosen.name }}</h2>
      <p class="muted small">{{ chosen.shop_name }}</p>
      <login-box v-if="needLogin" title="登录后预约上门" @done="loggedIn" />
      <van-form v-else @submit="submit">
        <van-field v-model="form.address" name="address" label="上门地址" type="textarea" rows="2" autosize
          placeholder="如：中牟县官渡镇官渡村三组 12 号" :error-message="errors.address" />
        <van-field v-model="form.date" name="date" label="希望日期" type="date" :min="earliest"
          :error-message="errors.when" />
        <van-field v-model="form.time" name="time" label="希望时间" type="time" />
        <p class="muted small booking-tz">按北京时间，商家会打电话和您确认具体时间。</p>
        <van-field v-model="form.phone" name="phone" label="联系电话" type="tel" maxlength="11"
          placeholder="11 位手机号" :error-message="errors.phone" />
        <van-field v-model="form.note" name="note" label="备注" placeholder="选填，如房屋面积、要改的地方" />
        <p v-if="failure" class="error-text" role="alert">{{ failure }}</p>
        <van-button block type="primary" native-type="submit" class="big-button" :loading="busy">提交预约</van-button>
      </van-form>
    </section>
    <p class="services-tip"><app-link to="/h5/me/bookings" class="text-link">查看我的预约 ›</app-link></p>`,
};
