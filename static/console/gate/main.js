// The gate app (展会验票): Vue 3 + Element Plus, three screens, installable and usable offline.

import { route, go, session, setUser } from "/assets/console/gate/nav.js";
import { api, network, uploadQueue } from "/assets/console/gate/sync.js";
import * as store from "/assets/console/gate/store.js";
import { unlockAudio } from "/assets/console/gate/feedback.js";
import LoginPage from "/assets/console/gate/login.js";
import ExposPage from "/assets/console/gate/expos.js";
import GatePage from "/assets/console/gate/gate-page.js";

const NotFound = {
  template: `<section class="empty"><h1 class="page-title">页面不存在</h1>
    <el-button type="primary" size="large" @click="$emit('home')">返回展会列表</el-button></section>`,
  emits: ["home"],
};

function screen(path) {
  const gate = path.match(/^\/console\/gate\/expos\/(\d+)\/?$/);
  // The gate works from its bundle alone; only the other screens need a login.
  if (gate) return { component: GatePage, props: { id: gate[1] } };
  const loggedIn = Boolean(session.user) && Boolean(api.token.get());
  if (!loggedIn || /^\/console\/gate\/login\/?$/.test(path)) return { component: LoginPage, props: {} };
  if (/^\/console\/gate\/?$/.test(path)) return { component: ExposPage, props: {} };
  return { component: NotFound, props: {} };
}

const App = {
  setup() {
    const current = Vue.computed(() => screen(route.path));
    const loggedIn = Vue.computed(() => Boolean(session.user) && current.value.component !== LoginPage);

    async function logout() {
      let pending = 0;
      try { pending = (await store.pendingScans()).length; } catch { /* none known */ }
      if (pending) {
        try {
          await ElementPlus.ElMessageBox.confirm(
            `本机还有 ${pending} 条离线核验记录没有上传。退出后记录仍保留在本机，下次登录会继续上传。确定退出吗？`,
            "退出登录", { confirmButtonText: "退出", cancelButtonText: "取消", type: "warning" });
        } catch { return; }
      }
      api.token.clear();
      setUser(null);
      go("/console/gate/login", { replace: true });
    }
    return { current, route, session, loggedIn, logout, network, home: () => go("/console/gate/") };
  },
  template: `
    <header class="topbar">
      <span class="brand">展会验票</span>
      <span v-if="loggedIn" class="who">{{ session.user.nickname || session.user.username }}</span>
      <el-button v-if="loggedIn" size="small" @click="logout">退出</el-button>
    </header>
    <main class="main">
      <component :is="current.component" v-bind="current.props" :key="route.path" @home="home" />
    </main>`,
};

const app = Vue.createApp(App);
app.use(ElementPlus, { locale: window.ElementPlusLocaleZhCn });
app.mount("#app");

// Browsers allow sound only after a touch or a key: the first one, wherever it lands.
window.addEventListener("pointerdown", unlockAudio, { once: true, capture: true });
window.addEventListener("keydown", unlockAudio, { once: true, capture: true });

// Upload what was decided offline whenever the network comes back, on whatever screen.
window.addEventListener("online", () => { uploadQueue().catch(() => {}); });
if (navigator.onLine) uploadQueue().catch(() => {});

// The service worker keeps the shell and its files, so the gate opens with no network.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/console/gate/sw.js", { scope: "/console/gate/" })
    .catch((error) => console.warn("service worker", error));
}
// Ask the browser not to evict the queue and the bundles when space runs low.
if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
