// Expo detail (the poster's QR target): time, venue and its map, booths, and registering for a
// ticket; a full expo puts the villager on the waiting list and says which place.

import { api, chinaTime, token } from "/assets/shared/api.js";
import { go } from "/assets/h5/router.js";
import LoginBox from "/assets/h5/login-box.js";

// Amap's URI API opens the Amap app when installed, its web map otherwise. Coordinates are
// taken as Amap's own (GCJ-02), as an officer picking them on a Chinese map gets them.
function mapLink(expo) {
  if (expo.latitude != null && expo.longitude != null) {
    return `https://uri.amap.com/marker?position=${expo.longitude},${expo.latitude}`
      + `&name=${encodeURIComponent(expo.venue)}&src=lvjian&callnative=1`;
  }
  return `https://uri.amap.com/search?keyword=${encodeURIComponent(expo.venue)}&src=lvjian&callnative=1`;
}

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
    // `registration_open` is false when full; the waiting list stays open in the window.
    const canRegister = Vue.computed(() => {
      const e = expo.value;
      if (!e || e.status !== "published") return false;
      const now = Date.now();
      return new Date(e.registration_opens_at).getTime() <= now && now <= new Date(e.registration_closes_at).getTime();
    });
    const full = Vue.computed(() => expo.value && expo.value.registered >= expo.value.capacity);
    async function register() {
      if (!token.get()) { needLogin.value = true; return; }
      busy.value = true;
      message.value = "";
      try {
        const { ticket } = await api.register(props.id);
        if (ticket.status === "registered") go(`/h5/tickets/${ticket.id}`);
        else await load(); // waitlisted: the page shows the place in the queue
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else message.value = e.message && e.status === 409 ? e.message : e.friendly;
      } finally {
        busy.value = false;
      }
    }
    const loggedIn = () => { needLogin.value = false; register(); };
    return { expo, error, message, needLogin, busy, canRegister, full, register, loggedIn,
      chinaTime, mapLink };
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
        <a :href="mapLink(expo)" class="map-link" target="_blank" rel="noopener">
          <van-icon name="guide-o" aria-hidden="true" /> 在高德地图中查看位置和路线</a>
      </section>
      <section class="card register-card">
        <template v-if="expo.my_ticket && expo.my_ticket.status === 'waitlisted'">
          <p class="waitlist-note" role="status"><van-icon name="info-o" aria-hidden="true" />
            名额已满，您已进入候补，第 {{ expo.my_ticket.waiting_position }} 位</p>
          <p class="muted">有人取消报名时按顺序递补，递补成功会通知您。</p>
          <app-link :to="'/h5/tickets/' + expo.my_ticket.id" class="van-button van-button--primary van-button--block big-button">查看我的报名</app-link>
        </template>
        <template v-else-if="expo.my_ticket && expo.my_ticket.status === 'registered'">
          <p>您已报名：{{ expo.my_ticket.status_label }}</p>
          <app-link :to="'/h5/tickets/' + expo.my_ticket.id" class="van-button van-button--primary van-button--block big-button">查看我的入场票</app-link>
        </template>
        <template v-else-if="canRegister">
          <p v-if="full" class="muted">名额已满，现在报名将进入候补名单，有人取消时按顺序递补。</p>
          <van-button type="primary" block class="big-button" :loading="busy" @click="register">
            {{ full ? '报名候补' : '我要报名' }}</van-button>
        </template>
        <p v-else class="muted">现在不能报名</p>
        <p v-if="message" class="error-text" role="alert">{{ message }}</p>
      </section>
      <login-box v-if="needLogin" title="登录后报名" @done="loggedIn" />
      <section v-if="expo.booths && expo.booths.length" class="card">
        <h2>参展商家</h2>
        <van-cell v-for="b in expo.booths" :key="b.id" :title="b.merchant.name" :value="'展位 ' + b.booth_no" />
      </section>
    </article>`,
};
