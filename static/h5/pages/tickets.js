// My expo tickets: status, waiting-list place, the QR code to show at the gate, cancelling.
// Kept by the service worker: with no network the last copy shows, marked 离线显示.

import { api, chinaTime, token } from "/assets/shared/api.js";
import { isControlled, offline, whenControlled } from "/assets/h5/offline.js";
import LoginBox from "/assets/h5/login-box.js";

export default {
  components: { LoginBox },
  props: { focus: { type: String, default: "" } },
  setup(props) {
    const tickets = Vue.ref(null);
    const qr = Vue.reactive({});
    const error = Vue.ref("");
    const message = Vue.ref("");
    const busy = Vue.ref(0);
    const needLogin = Vue.ref(!token.get());
    let alive = true;
    async function load() {
      needLogin.value = !token.get();
      if (needLogin.value) return;
      try {
        const page = await api.myTickets();
        const shown = props.focus ? page.items.filter((t) => String(t.id) === props.focus) : page.items;
        if (!alive) return;
        tickets.value = shown.length ? shown : page.items;
        error.value = "";
        // The QR image needs the bearer token, so it is fetched here and shown from a blob URL.
        for (const t of tickets.value) {
          if (t.status === "registered") {
            api.ticketQr(t.id).then((blob) => {
              if (!alive) return;
              if (qr[t.id]) URL.revokeObjectURL(qr[t.id]);
              qr[t.id] = URL.createObjectURL(blob);
            }).catch(() => { if (!qr[t.id]) qr[t.id] = ""; });
          }
        }
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else if (!tickets.value) error.value = e.status === 0 ? "网络不通，且本机没有保存过入场票" : e.friendly;
      }
    }
    load();
    // A first visit runs before the service worker: once it takes over, fetch again through it
    // so that these tickets are saved for showing without a network.
    if (!isControlled()) whenControlled().then(() => { if (alive) load(); });
    Vue.onBeforeUnmount(() => {
      alive = false;
      Object.values(qr).forEach((url) => url && URL.revokeObjectURL(url));
    });

    async function cancel(t) {
      try {
        await vant.showConfirmDialog({
          title: "取消报名",
          message: `确定取消「${t.expo.title}」的报名吗？取消后名额让给候补的村民，再报名需要重新排队。`,
          confirmButtonText: "确定取消", cancelButtonText: "不取消",
        });
      } catch {
        return; // kept
      }
      busy.value = t.id;
      message.value = "";
      try {
        await api.del(`/tickets/${t.id}`);
        await load();
        message.value = "已取消报名";
      } catch (e) {
        message.value = e.status === 409 && e.message ? e.message : e.friendly;
      } finally {
        busy.value = 0;
      }
    }
    const showOffline = Vue.computed(() => offline.copy || !offline.online);
    const savedAt = Vue.computed(() => (offline.savedAt ? chinaTime(new Date(offline.savedAt).toISOString()) : ""));
    return { tickets, qr, error, message, busy, needLogin, load, cancel, chinaTime, showOffline, savedAt, offline };
  },
  template: `
    <van-nav-bar title="我的入场票" left-arrow left-text="返回" @click-left="$back()" />
    <p v-if="showOffline && tickets" class="offline-note" role="status">
      <van-icon name="info-o" aria-hidden="true" /> 离线显示：现在没有网络，显示的是本机保存的入场票<template v-if="savedAt">（{{ savedAt }} 保存）</template>，二维码可直接出示入场。</p>
    <login-box v-if="needLogin" @done="load" />
    <van-empty v-else-if="error" image="error" :description="error" />
    <van-loading v-else-if="!tickets" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <van-empty v-else-if="!tickets.length" description="还没有报名展销会">
      <app-link to="/h5/expos" class="van-button van-button--primary van-button--normal">去看看展销会</app-link>
    </van-empty>
    <template v-else>
    <p v-if="message" class="card ok-text" role="status">{{ message }}</p>
    <section v-for="t in tickets" :key="t.id" class="card ticket" :aria-labelledby="'ticket-' + t.id">
      <h2 :id="'ticket-' + t.id">{{ t.expo.title }}</h2>
      <p>{{ chinaTime(t.expo.starts_at) }} · {{ t.expo.venue }}</p>
      <p class="ticket-status">状态：<van-tag :type="t.status === 'registered' ? 'success' : t.status === 'waitlisted' ? 'warning' : 'default'"
        size="large">{{ t.status_label }}</van-tag></p>
      <p v-if="t.status === 'waitlisted'" class="waitlist-note">
        名额已满，您已进入候补，第 {{ t.waiting_position }} 位。有人取消时按顺序递补，递补成功会通知您。</p>
      <figure v-if="t.status === 'registered' && qr[t.id]" class="ticket-qr">
        <img :src="qr[t.id]" alt="入场二维码" width="260" height="260">
        <figcaption>入场时出示此二维码给工作人员扫码</figcaption>
      </figure>
      <p v-if="t.admitted_at" class="ok-text">已于 {{ chinaTime(t.admitted_at) }} 入场</p>
      <van-button v-if="(t.status === 'registered' || t.status === 'waitlisted') && !t.admitted_at"
        block plain type="danger" class="big-button cancel-button" :loading="busy === t.id"
        :disabled="!offline.online" @click="cancel(t)">取消报名</van-button>
    </section>
    </template>`,
};
