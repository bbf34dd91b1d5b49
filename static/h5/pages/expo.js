// Expo detail (the poster's QR target): time, venue, booths, and registering for a ticket.

import { api, chinaTime, token } from "/assets/shared/api.js";
import { go } from "/assets/h5/router.js";
import LoginBox from "/assets/h5/login-box.js";

export default {
  components: { LoginBox },
  props: { id: { type: String, required: true } },
  setup(props) {
    const expo = Vue.ref(null);
    const error = Vue.ref("");
    const message = Vue.ref("");
    const needLogin = Vue.ref(false);
    const busy = Vue.ref(false);
    const load = () => api.expo(props.id).then((e) => { expo.value = e; document.title = `${e.title} · 绿建下乡`; })
      .catch((e) => { error.value = e.status === 404 ? "没有找到这场展销会" : e.friendly; });
    load();
    async function register() {
      if (!token.get()) { needLogin.value = true; return; }
      busy.value = true;
      message.value = "";
      try {
        const { ticket } = await api.register(props.id);
        go(`/h5/tickets/${ticket.id}`);
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else message.value = e.friendly;
      } finally {
        busy.value = false;
      }
    }
    const loggedIn = () => { needLogin.value = false; register(); };
    return { expo, error, message, needLogin, busy, register, loggedIn, chinaTime };
  },
  template: `
    <van-nav-bar title="展销会" left-arrow left-text="返回" @click-left="$back()" />
    <van-empty v-if="error" image="error" :description="error" />
    <van-loading v-else-if="!expo" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <article v-else>
      <section class="card">
        <h1 class="product-title">{{ expo.title }}</h1>
        <van-tag :type="expo.status === 'published' ? 'success' : 'warning'" size="medium">{{ expo.status_label }}</van-tag>
        <p>{{ expo.description }}</p>
        <van-cell-group>
          <van-cell title="开始" :label="chinaTime(expo.starts_at)" icon="clock-o" />
          <van-cell title="结束" :label="chinaTime(expo.ends_at)" icon="clock-o" />
          <van-cell title="地点" :label="expo.venue" icon="location-o" />
          <van-cell title="名额" :value="expo.registered + ' / ' + expo.capacity + ' 人已报名'" icon="friends-o" />
          <van-cell title="报名截止" :label="chinaTime(expo.registration_closes_at)" icon="underway-o" />
        </van-cell-group>
      </section>
      <section class="card">
        <template v-if="expo.my_ticket">
          <p>您已报名：{{ expo.my_ticket.status_label }}</p>
          <app-link :to="'/h5/tickets/' + expo.my_ticket.id" class="van-button van-button--primary van-button--block big-button">查看我的入场票</app-link>
        </template>
        <van-button v-else-if="expo.registration_open" type="primary" block class="big-button" :loading="busy"
          @click="register">我要报名</van-button>
        <p v-else class="muted">现在不能报名</p>
        <p v-if="message" class="error-text" role="alert">{{ message }}</p>
      </section>
      <login-box v-if="needLogin" @done="loggedIn" />
      <section v-if="expo.booths && expo.booths.length" class="card">
        <h2>参展商家</h2>
        <van-cell v-for="b in expo.booths" :key="b.id" :title="b.merchant.name" :value="'展位 ' + b.booth_no" />
      </section>
    </article>`,
};
