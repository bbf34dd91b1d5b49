// The merchant console: Vue 3 + Element Plus (zh-cn), the routes, the shell and the sign-in gate.

import { AppLink, BASE, go, match, route } from "/assets/console/merchant/router.js";
import { isOwner, loadSession, logout, session } from "/assets/console/merchant/api.js";
import LoginPage from "/assets/console/merchant/pages/login.js";
import ApplyPage from "/assets/console/merchant/pages/apply.js";
import ShopPage from "/assets/console/merchant/pages/shop.js";
import StaffPage from "/assets/console/merchant/pages/staff.js";
import ProductsPage from "/assets/console/merchant/pages/products.js";
import ProductPage from "/assets/console/merchant/pages/product.js";
import DealersPage from "/assets/console/merchant/pages/dealers.js";
import PromotionsPage from "/assets/console/merchant/pages/promotions.js";
import CouponsPage from "/assets/console/merchant/pages/coupons.js";
import TillPage from "/assets/console/merchant/pages/till.js";
import RedemptionsPage from "/assets/console/merchant/pages/redemptions.js";
import ComplaintsPage from "/assets/console/merchant/pages/complaints.js";
import ComplaintPage from "/assets/console/merchant/pages/complaint.js";
import ExposPage from "/assets/console/merchant/pages/expos.js";

const P = (tail) => new RegExp(`^${BASE}${tail}/?$`);

// `access`: "public" (signed out), "account" (signed in, no shop needed), default: a shop.
const routes = [
  { pattern: P("/login"), component: LoginPage, title: "登录", access: "public" },
  { pattern: P("/apply"), component: ApplyPage, title: "申请开店", access: "account" },
  { pattern: P(""), component: ShopPage, title: "店铺资料" },
  { pattern: P("/till"), component: TillPage, title: "收银核销" },
  { pattern: P("/redemptions"), component: RedemptionsPage, title: "核销记录" },
  { pattern: P("/products"), component: ProductsPage, title: "商品" },
  { pattern: P("/products/new"), component: ProductPage, title: "新建商品" },
  { pattern: P("/products/(\\d+)"), component: ProductPage, title: "编辑商品", props: (m) => ({ id: m[1] }) },
  { pattern: P("/dealer-authorisations"), component: DealersPage, title: "经销授权" },
  { pattern: P("/promotions"), component: PromotionsPage, title: "促销活动" },
  { pattern: P("/coupons"), component: CouponsPage, title: "优惠券" },
  { pattern: P("/complaints"), component: ComplaintsPage, title: "投诉处理" },
  { pattern: P("/complaints/(\\d+)"), component: ComplaintPage, title: "投诉详情", props: (m) => ({ id: m[1] }) },
  { pattern: P("/expos"), component: ExposPage, title: "展会展位" },
  { pattern: P("/staff"), component: StaffPage, title: "员工", owner: true },
];

const NAV = [
  { to: `${BASE}/till`, title: "收银核销" },
  { to: `${BASE}/redemptions`, title: "核销记录" },
  { to: `${BASE}/products`, title: "商品" },
  { to: `${BASE}/promotions`, title: "促销活动" },
  { to: `${BASE}/coupons`, title: "优惠券" },
  { to: `${BASE}/complaints`, title: "投诉处理" },
  { to: `${BASE}/expos`, title: "展会展位" },
  { to: `${BASE}/dealer-authorisations`, title: "经销授权" },
  { to: `${BASE}/`, title: "店铺资料" },
  { to: `${BASE}/staff`, title: "员工", owner: true },
];

const NotFound = { template: `<h1>没有这个页面</h1><p><app-link :to="'${BASE}/'">回到后台首页</app-link></p>` };

const App = {
  setup() {
    const current = Vue.computed(() => match(routes, route.path)
      || { component: NotFound, title: "没有这个页面", props: {} });

    // The gate: signed out → login; signed in without a shop → the shop application. A
    // redirect made inside the effect does not re-run it, so the whole chain is resolved here.
    function redirect(path, query) {
      const entry = match(routes, path);
      const access = entry ? entry.access : "missing";
      if (!session.user && access !== "public") {
        const here = path + (query.toString() ? `?${query}` : "");
        return `${BASE}/login?next=${encodeURIComponent(here)}`;
      }
      if (session.user && access === "public") {
        const next = query.get("next");
        return next && next.startsWith(`${BASE}/`) && !next.startsWith(`${BASE}/login`) ? next : `${BASE}/till`;
      }
      if (session.user && !session.shop && access === undefined) return `${BASE}/apply`;
      return null;
    }
    Vue.watchEffect(() => {
      if (!session.ready) return;
      let target = null;
      let url = new URL(route.path + (route.query.toString() ? `?${route.query}` : ""), location.origin);
      for (let hop = 0; hop < 4; hop += 1) {
        const next = redirect(url.pathname, url.searchParams);
        if (!next) break;
        target = next;
        url = new URL(next, location.origin);
      }
      if (target) go(target, { replace: true });
    });
    Vue.watchEffect(() => { document.title = `${current.value.title} · 绿建下乡商家后台`; });

    const nav = Vue.computed(() => NAV.filter((item) => !item.owner || isOwner()));
    const active = (item) => (item.to === `${BASE}/` ? route.path === item.to
      : route.path === item.to || route.path.startsWith(`${item.to}/`));
    const roleLabel = Vue.computed(() => (isOwner() ? "店主" : "店员"));
    const shopTag = Vue.computed(() => {
      const status = session.shop && session.shop.status;
      return status === "approved" ? "success" : status === "rejected" ? "danger" : "warning";
    });
    async function signOut() {
      await logout();
      go(`${BASE}/login`);
    }
    const bare = Vue.computed(() => current.value.access === "public" || !session.user);
    // Render a page only once the gate lets it through (no flash of a page that needs a shop).
    const allowed = Vue.computed(() => {
      const access = current.value.access;
      if (access === "public") return !session.user;
      if (access === "account") return Boolean(session.user);
      return Boolean(session.user && session.shop);
    });
    return { current, route, session, nav, active, roleLabel, shopTag, signOut, bare, allowed, BASE };
  },
  template: `
    <p v-if="!session.ready" class="boot">正在加载…</p>
    <main v-else-if="bare" id="main">
      <component v-if="allowed" :is="current.component" v-bind="current.props" :key="route.path" />
    </main>
    <template v-else>
      <a class="skip" href="#main">跳到主要内容</a>
      <header class="topbar">
        <app-link class="brand" :to="BASE + '/till'">绿建下乡 · 商家后台</app-link>
        <span v-if="session.shop" class="shop-name">{{ session.shop.name }}
          <el-tag :type="shopTag" effect="light" size="small">{{ session.shop.status_label }}</el-tag></span>
        <span class="spacer"></span>
        <span class="who">{{ session.user.nickname || session.user.username }}（{{ roleLabel }}）</span>
        <el-button size="small" @click="signOut">退出登录</el-button>
      </header>
      <div class="layout">
        <nav v-if="session.shop" class="sidenav" aria-label="主菜单">
          <app-link v-for="item in nav" :key="item.to" :to="item.to" :class="{ active: active(item) }"
            :aria-current="active(item) ? 'page' : null">{{ item.title }}</app-link>
        </nav>
        <main id="main" class="content" tabindex="-1">
          <el-alert v-if="session.shop && session.shop.status === 'pending'" type="warning" :closable="false" show-icon
            title="开店申请审核中：审核通过前可以准备商品，但还不能提交商品审核或发券。" style="margin-bottom:16px" />
          <el-alert v-if="session.shop && session.shop.status === 'rejected'" type="error" :closable="false" show-icon
            :title="'开店申请未通过：' + (session.shop.decision_note || '请修改店铺资料后重新提交')" style="margin-bottom:16px" />
          <component v-if="allowed" :is="current.component" v-bind="current.props" :key="route.path" />
        </main>
      </div>
    </template>`,
};

const app = Vue.createApp(App);
app.use(ElementPlus, { locale: ElementPlusLocaleZhCn });
app.component("AppLink", AppLink);
app.mount("#app");
loadSession();
