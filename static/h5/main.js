// The H5 storefront: mounts Vue + Vant, the routes, and the bottom tab bar.

import { AppLink, back, go, match, route } from "/assets/h5/router.js";
import HomePage from "/assets/h5/pages/home.js";
import ProductsPage from "/assets/h5/pages/products.js";
import ProductPage from "/assets/h5/pages/product.js";
import CertificatePage from "/assets/h5/pages/certificate.js";
import ExpoPage from "/assets/h5/pages/expo.js";
import ExposPage from "/assets/h5/pages/expos.js";
import TicketsPage from "/assets/h5/pages/tickets.js";
import NotFoundPage from "/assets/h5/pages/not-found.js";
import CouponsPage from "/assets/h5/pages/coupons.js";
import MyCouponsPage from "/assets/h5/pages/my-coupons.js";
import SubsidiesPage from "/assets/h5/pages/subsidies.js";
import SubsidyApplyPage from "/assets/h5/pages/subsidy-apply.js";
import MySubsidiesPage from "/assets/h5/pages/my-subsidies.js";
import ComplaintNewPage from "/assets/h5/pages/complaint-new.js";
import ComplaintsPage from "/assets/h5/pages/complaints.js";
import ComplaintPage from "/assets/h5/pages/complaint.js";
import MePage from "/assets/h5/pages/me.js";
import LoginPage from "/assets/h5/pages/login.js";
import NotificationsPage from "/assets/h5/pages/notifications.js";

const routes = [
  { pattern: /^\/h5\/?$/, component: HomePage },
  { pattern: /^\/h5\/products\/?$/, component: ProductsPage },
  { pattern: /^\/h5\/products\/(\d+)$/, component: ProductPage, props: (m) => ({ id: m[1] }) },
  { pattern: /^\/h5\/certificates\/?$/, component: CertificatePage },
  { pattern: /^\/h5\/certificates\/([^/]+)$/, component: CertificatePage,
    props: (m) => ({ number: decodeURIComponent(m[1]) }) },
  { pattern: /^\/h5\/expos\/?$/, component: ExposPage },
  { pattern: /^\/h5\/expos\/(\d+)$/, component: ExpoPage, props: (m) => ({ id: m[1] }) },
  { pattern: /^\/h5\/(me\/)?tickets\/?$/, component: TicketsPage },
  { pattern: /^\/h5\/tickets\/(\d+)$/, component: TicketsPage, props: (m) => ({ focus: m[1] }) },
  { pattern: /^\/h5\/coupons\/?$/, component: CouponsPage },
  { pattern: /^\/h5\/me\/coupons\/?$/, component: MyCouponsPage },
  { pattern: /^\/h5\/subsidies\/?$/, component: SubsidiesPage },
  { pattern: /^\/h5\/subsidies\/apply\/?$/, component: SubsidyApplyPage },
  { pattern: /^\/h5\/me\/subsidies\/?$/, component: MySubsidiesPage },
  { pattern: /^\/h5\/complaints\/new\/?$/, component: ComplaintNewPage },
  { pattern: /^\/h5\/me\/complaints\/?$/, component: ComplaintsPage },
  { pattern: /^\/h5\/complaints\/(\d+)$/, component: ComplaintPage, props: (m) => ({ id: m[1] }) },
  { pattern: /^\/h5\/me\/?$/, component: MePage },
  { pattern: /^\/h5\/login\/?$/, component: LoginPage },
  { pattern: /^\/h5\/me\/notifications\/?$/, component: NotificationsPage },
];

const TABS = [
  { name: "home", title: "首页", icon: "home-o", to: "/h5/" },
  { name: "products", title: "建材", icon: "apps-o", to: "/h5/products" },
  { name: "expos", title: "展销会", icon: "flag-o", to: "/h5/expos" },
  { name: "tickets", title: "我的票", icon: "coupon-o", to: "/h5/tickets" },
];

const App = {
  setup() {
    const current = Vue.computed(() => match(routes, route.path) || { component: NotFoundPage, props: {} });
    const tab = Vue.computed(() => {
      const found = TABS.slice(1).find((t) => route.path.startsWith(t.to));
      return found ? found.name : route.path.startsWith("/h5/expos") ? "expos" : "home";
    });
    return { current, route, tab, TABS, go };
  },
  template: `
    <main class="page">
      <component :is="current.component" v-bind="current.props" :key="route.path + route.query.toString()" />
    </main>
    <van-tabbar :model-value="tab" fixed placeholder safe-area-inset-bottom>
      <van-tabbar-item v-for="t in TABS" :key="t.name" :name="t.name" :icon="t.icon"
        @click="go(t.to)">{{ t.title }}</van-tabbar-item>
    </van-tabbar>`,
};

const app = Vue.createApp(App);
app.use(vant);
app.component("AppLink", AppLink);
app.config.globalProperties.$back = back;
app.mount("#app");
