// My expo tickets, each with its QR code to show at the gate.

import { api, chinaTime, token } from "/assets/shared/api.js";
import LoginBox from "/assets/h5/login-box.js";

export default {
  components: { LoginBox },
  props: { focus: { type: String, default: "" } },
  setup(props) {
    const tickets = Vue.ref(null);
    const qr = Vue.reactive({});
    const error = Vue.ref("");
    const needLogin = Vue.ref(!token.get());
    async function load() {
      needLogin.value = !token.get();
      if (needLogin.value) return;
      try {
        const page = await api.myTickets();
        const shown = props.focus ? page.items.filter((t) => String(t.id) === props.focus) : page.items;
        tickets.value = shown.length ? shown : page.items;
        // The QR image needs the bearer token, so it is fetched here and shown from a blob URL.
        for (const t of tickets.value) {
          if (t.status === "registered" || t.status === "admitted") {
            api.ticketQr(t.id).then((blob) => { qr[t.id] = URL.createObjectURL(blob); })
              .catch(() => { qr[t.id] = ""; });
          }
        }
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else error.value = e.friendly;
      }
    }
    load();
    Vue.onBeforeUnmount(() => Object.values(qr).forEach((url) => url && URL.revokeObjectURL(url)));
    return { tickets, qr, error, needLogin, load, chinaTime };
  },
  template: `
    <van-nav-bar title="我的入场票" left-arrow left-text="返回" @click-left="$back()" />
    <login-box v-if="needLogin" @done="load" />
    <van-empty v-else-if="error" image="error" :description="error" />
    <van-loading v-else-if="!tickets" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <van-empty v-else-if="!tickets.length" description="还没有报名展销会">
      <app-link to="/h5/expos" class="van-button van-button--primary van-button--normal">去看看展销会</app-link>
    </van-empty>
    <template v-else>
    <section v-for="t in tickets" :key="t.id" class="card ticket">
      <h2>{{ t.expo.title }}</h2>
      <p>{{ chinaTime(t.expo.starts_at) }} · {{ t.expo.venue }}</p>
      <van-tag :type="t.status === 'registered' ? 'success' : 'warning'" size="large">{{ t.status_label }}</van-tag>
      <p v-if="t.waiting_position">候补第 {{ t.waiting_position }} 位，有人取消时按顺序递补。</p>
      <figure v-if="qr[t.id]" class="ticket-qr">
        <img :src="qr[t.id]" alt="入场二维码" width="260" height="260">
        <figcaption>入场时出示此二维码给工作人员扫码</figcaption>
      </figure>
    </section>
    </template>`,
};
