// The H5 storefront: mounts Vue + Vant, the routes, and the bottom tab bar. Care mode is applied
// before anything shows; pages load on first use (a light first visit on a weak network); the
// service worker keeps the shell, the assets and the villager's tickets for offline use.

import "/assets/h5/care.js";
import "/assets/h5/offline.js";
import { AppLink, back, go, match, route } from "/assets/h5/router.js";
import HomePage from "/assets/h5/pages/home.js";

// A page module on first use; a failed load (no network) says so and offers a retry.
const LoadFailed = {
  template: `<van-empty image="network" description="页面加载失败，请检查网络">
    <van-button type="primary" class="big-button" @click="reload">重新加载</van-button>
  </van-empty>`,
  methods: { reload: () => location.reload() },
};
const Loading = {
  template: `<van-loading class="page-loading" size="32" vertical>正在加载…</van-loading>`,
};
const page = (name) => Vue.defineAsyncComponent({
  loader: () => import(`/assets/h5/pages/${name}.js`).then((m) => m.default),
  loadingComponent: Loading, errorComponent: LoadFailed, delay: 300,
});

const P = Object.fromEntries([
  "products", "product", "certificate", "expo", "expos", "tickets", "not-found", "coupons",
  "my-coupons", "subsidies", "subsidy-apply", "my-subsidies", "complaint-new", "complaints",
  "complaint", "me", "login", "notifications", "packages", "package", "cases", "case",
  "services", "my-bookings", "zones", "zone", "live",
].map((name) => [name, page(name)]));

const routes = [
  { pattern: /^\/h5\/?$/, component: HomePage },
  { pattern: /^\/h5\/products\/?$/, component: P.products },
  { pattern: /^\/h5\/products\/(\d+)$/, component: P.product, props: (m) => ({ id: m[1] }) },
  { pattern: /^\/h5\/certificates\/?$/, component: P.certificate },
  { pattern: /^\/h5\/certificates\/([^/]+)$/, component: P.certificate,
    props: (m) => ({ number: decodeURIComponent(m[1]) }) },
  { pattern: /^\/h5\/expos\/?$/, component: P.expos },
  { pattern: /^\/h5\/expos\/(\d+)$/, component: P.expo, props: (m) => ({ id: m[1] }) },
  { pattern: /^\/h5\/(me\/)?tickets\/?$/, component: P.tickets },
  { pattern: /^\/h5\/tickets\/(\d+)$/, component: P.tickets, props: (m) => ({ focus: m[1] }) },
  { pattern: /^\/h5\/coupons\/?$/, component: P.coupons },
  { pattern: /^\/h5\/me\/coupons\/?$/, component: P["my-coupons"] },
  { pattern: /^\/h5\/subsidies\/?$/, component: P.subsidies },
  { pattern: /^\/h5\/subsidies\/apply\/?$/, component: P["subsidy-apply"] },
  { pattern: /^\/h5\/me\/subsidies\/?$/, component: P["my-subsidies"] },
  { pattern: /^\/h5\/complaints\/new\/?$/, component: P["complaint-new"] },
  { pattern: /^\/h5\/me\/complaints\/?$/, component: P.complaints },
  { pattern: /^\/h5\/complaints\/(\d+)$/, component: P.complaint, props: (m) => ({ id: m[1] }) },
  { pattern: /^\/h5\/me\/?$/, component: P.me },
  { pattern: /^\/h5\/login\/?$/, component: P.login },
  { pattern: /^\/h5\/me\/notifications\/?$/, component: P.notifications },
  { pattern: /^\/h5\/packages\/?$/, component: P.packages },
  { pattern: /^\/h5\/packages\/(\d+)$/, component: P.package, props: (m) => ({ id: m[1] }) },
  { pattern: /^\/h5\/cases\/?$/, component: P.cases },
  { pattern: /^\/h5\/cases\/(\d+)$/, component: P.case, props: (m) => ({ id: m[1] }) },
  { pattern: /^\/h5\/services\/?$/, component: P.services },
  { pattern: /^\/h5\/me\/bookings\/?$/, component: P["my-bookings"] },
  { pattern: /^\/h5\/zones\/?$/, component: P.zones },
  { pattern: /^\/h5\/zones\/(\d+)$/, component: P.zone, props: (m) => ({ id: m[1] }) },
  { pattern: /^\/h5\/live\/(\d+)$/, component: P.live, props: (m) => ({ id: m[1] }) },
];

const TABS = [
  { name: "home", title: "首页", icon: "home-o", to: "/h5/" },
  { name: "products", title: "建材", icon: "apps-o", to: "/h5/products" },
  { name: "expos", title: "展销会", icon: "flag-o", to: "/h5/expos" },
  { name: "me", title: "我的", icon: "user-o", to: "/h5/me" },
];
// Which tab a page belongs to: the first prefix that matches.
const TAB_OF = [
  ["/h5/products", "products"], ["/h5/expos", "expos"], ["/h5/me", "me"],
  ["/h5/tickets", "me"], ["/h5/login", "me"], ["/h5/complaints", "me"],
];

const App = {
  setup() {
    const current = Vue.computed(() => match(routes, route.path) || { component: P["not-found"], props: {} });
    const tab = Vue.computed(() => (TAB_OF.find(([prefix]) => route.path.startsWith(prefix)) || [, "home"])[1]);
    return { current, route, tab, TABS, go };
  },
  template: `
    <main class="page">
      <component :is="current.component" v-bind="current.props" :key="route.path + route.query.toString()" />
    </main>
    <van-tabbar :model-value="tab" fixed placeholder safe-area-inset-bottom aria-label="主导航">
      <van-tabbar-item v-for="t in TABS" :key="t.name" :name="t.name" :icon="t.icon"
        @click="go(t.to)">{{ t.title }}</van-tabbar-item>
    </van-tabbar>`,
};

const app = Vue.createApp(App);
app.use(vant);
app.component("AppLink", AppLink);
app.config.globalProperties.$back = back;
app.mount("#app");
