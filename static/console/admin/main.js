// The officers' console: Vue 3 + Element Plus (zh-cn), the routes, the shell and the sign-in gate.
// Every page is loaded when first opened (defineAsyncComponent), so the dashboard's charts and the
// review queues cost nothing until used.

import { AppLink, BASE, go, match, route } from "/assets/console/admin/router.js";
import { loadSession, logout, session } from "/assets/console/admin/api.js";
import LoginPage from "/assets/console/admin/pages/login.js";

const page = (name) => Vue.defineAsyncComponent(() => import(`/assets/console/admin/pages/${name}.js`));

// A route: its path (":id" is a number, passed to the page as the prop `id`), the page module,
// its title, and the side-menu group it is listed under (none: reached from another page).
function R(path, name, title, group = null, { province = false } = {}) {
  const pattern = new RegExp(`^${BASE}${path.replace(":id", "(\\d+)")}/?$`);
  const props = path.includes(":id") ? (m) => ({ id: m[1] }) : undefined;
  return { path: `${BASE}${path || "/"}`, pattern, component: page(name), title, group, props, province };
}

const routes = [
  { pattern: new RegExp(`^${BASE}/login/?$`), component: LoginPage, title: "登录", public: true },
  R("", "dashboard", "数据看板", "总览"),
  R("/reports", "reports", "活动总结", "总览"),
  R("/shops", "shops", "店铺审核", "商家与商品"),
  R("/products", "products", "商品审核", "商家与商品"),
  R("/products/:id", "product", "商品详情"),
  R("/dealer-authorisations", "dealers", "经销授权", "商家与商品"),
  R("/certificates", "certificates", "认证证书", "商家与商品"),
  R("/local-list", "local-list", "地方目录", "商家与商品"),
  R("/negative-list", "negative-list", "负面清单", "商家与商品"),
  R("/expos", "expos", "展会", "展会"),
  R("/expos/new", "expo-edit", "新建展会"),
  R("/expos/:id", "expo", "展会详情"),
  R("/subsidy-programs", "subsidy-programs", "补贴项目", "补贴"),
  R("/subsidy-programs/:id", "subsidy-program", "补贴项目详情"),
  R("/subsidy-claims", "subsidy-claims", "补贴审核", "补贴"),
  R("/subsidy-claims/:id", "subsidy-claim", "补贴申请详情"),
  R("/complaints", "complaints", "投诉处理", "投诉"),
  R("/complaints/:id", "complaint", "投诉详情"),
  R("/holidays", "holidays", "节假日", "投诉"),
  R("/audit-log", "audit-log", "操作日志", "系统", { province: true }), // province officers only
];

// The side menu: the routes with a group, in their order.
const NAV = [];
for (const entry of routes.filter((r) => r.group)) {
  let group = NAV.find((g) => g.title === entry.group);
  if (!group) NAV.push(group = { title: entry.group, items: [] });
  group.items.push({ to: entry.path, title: entry.title, province: entry.province });
}
// A province officer's code ends in 0000 (410000); the menu shows the others only their pages.
const isProvince = (user) => Boolean(user && /^\d{2}0000$/.test(user.region_code || ""));

const NotFound = { template: `<h1>没有这个页面</h1><p><app-link :to="'${BASE}/'">回到工作台首页</app-link></p>` };

const App = {
  setup() {
    const current = Vue.computed(() => match(routes, route.path)
      || { component: NotFound, title: "没有这个页面", props: {} });

    // Signed out → the login (remembering where to come back); signed in → never the login.
    Vue.watchEffect(() => {
      if (!session.ready) return;
      const entry = match(routes, route.path);
      if (!session.user && !(entry && entry.public)) {
        const here = route.path + (route.query.toString() ? `?${route.query}` : "");
        go(`${BASE}/login?next=${encodeURIComponent(here)}`, { replace: true });
      } else if (session.user && entry && entry.public) {
        const next = route.query.get("next");
        go(next && next.startsWith(`${BASE}/`) && !next.startsWith(`${BASE}/login`) ? next : `${BASE}/`, { replace: true });
      }
    });
    Vue.watchEffect(() => { document.title = `${current.value.title} · 绿建下乡主管部门工作台`; });

    const active = (item) => (item.to === `${BASE}/` ? route.path === item.to
      : route.path === item.to || route.path.startsWith(`${item.to}/`));
    async function signOut() {
      await logout();
      go(`${BASE}/login`);
    }
    const bare = Vue.computed(() => Boolean(current.value.public) || !session.user);
    const allowed = Vue.computed(() => (current.value.public ? !session.user : Boolean(session.user)));
    const nav = Vue.computed(() => NAV
      .map((group) => ({ ...group, items: group.items.filter((i) => !i.province || isProvince(session.user)) }))
      .filter((group) => group.items.length));
    return { current, route, session, nav, active, signOut, bare, allowed, BASE };
  },
  template: `
    <p v-if="!session.ready" class="boot">正在加载…</p>
    <main v-else-if="bare" id="main">
      <component v-if="allowed" :is="current.component" v-bind="current.props" :key="route.path" />
    </main>
    <template v-else>
      <a class="skip" href="#main">跳到主要内容</a>
      <header class="topbar">
        <app-link class="brand" :to="BASE + '/'">绿建下乡 · 主管部门工作台</app-link>
        <span class="shop-name">{{ session.user.region_name || session.user.region_code }}</span>
        <span class="spacer"></span>
        <span class="who">{{ session.user.nickname || session.user.username }}</span>
        <el-button size="small" @click="signOut">退出登录</el-button>
      </header>
      <div class="layout">
        <nav class="sidenav" aria-label="主菜单">
          <template v-for="group in nav" :key="group.title">
            <p class="nav-group">{{ group.title }}</p>
            <app-link v-for="item in group.items" :key="item.to" :to="item.to" :class="{ active: active(item) }"
              :aria-current="active(item) ? 'page' : null">{{ item.title }}</app-link>
          </template>
        </nav>
        <main id="main" class="content" tabindex="-1">
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
