// Home: the campaign theme, care mode, search, the certificate check, categories, expos near
// the villager's region, and products on promotion (loaded when scrolled to: a light start).

import { api, chinaTime, token } from "/assets/shared/api.js";
import { go } from "/assets/h5/router.js";
import { CareSwitch } from "/assets/h5/care.js";
import ProductCard from "/assets/h5/product-card.js";

const QUICK = [
  { to: "/h5/coupons", icon: "coupon-o", title: "领优惠券" },
  { to: "/h5/subsidies", icon: "gold-coin-o", title: "申请补贴" },
  { to: "/h5/tickets", icon: "qr", title: "我的入场票" },
  { to: "/h5/complaints/new", icon: "service-o", title: "投诉举报" },
];
// The campaign's one-stop entries: packages, cases, home visits, zones and live sessions.
const CAMPAIGN = [
  { to: "/h5/packages", icon: "gift-o", title: "改造套餐" },
  { to: "/h5/cases", icon: "photo-o", title: "示范案例" },
  { to: "/h5/services", icon: "home-o", title: "预约上门" },
  { to: "/h5/zones", icon: "video-o", title: "专区直播" },
];

// The region's own expos first, then its city's, then its province's.
async function nearExpos(region) {
  const scopes = [region, region.slice(0, 4) + "00", region.slice(0, 2) + "0000"]
    .filter((code, i, all) => all.indexOf(code) === i);
  for (const scope of scopes) {
    const page = await api.expos({ when: "upcoming", region: scope, limit: 3 });
    if (page.items.length) return page.items;
  }
  return [];
}

export default {
  components: { CareSwitch, ProductCard },
  setup() {
    const q = Vue.ref("");
    const categories = Vue.ref([]);
    const expos = Vue.ref([]);
    const near = Vue.ref(false);
    const promos = Vue.ref(null);
    const error = Vue.ref("");
    const categoriesLoaded = api.categories().then((tree) => { categories.value = tree; })
      .catch((e) => { error.value = e.friendly; });
    const anyExpos = () => api.expos({ when: "upcoming", limit: 3 }).then((page) => { expos.value = page.items; });
    const exposLoaded = (async () => {
      if (token.get()) {
        try {
          const me = await api.get("/me");
          if (me.region_code) {
            const found = await nearExpos(me.region_code.slice(0, 6));
            if (found.length) { expos.value = found; near.value = true; return; }
          }
        } catch { /* not logged in after all: every upcoming expo */ }
      }
      await anyExpos();
    })().catch((e) => { error.value = e.friendly; });

    // Products on promotion, once that part of the page comes near the screen.
    const promoSection = Vue.ref(null);
    let observer = null;
    const loadPromos = () => api.products({ limit: 100 })
      .then((page) => { promos.value = page.items.filter((p) => p.promo_price_fen != null).slice(0, 4); })
      .catch(() => { promos.value = []; });
    // Watched once the parts above it have their height, else it starts on screen.
    Promise.allSettled([categoriesLoaded, exposLoaded]).then(() => Vue.nextTick()).then(() => {
      if (!promoSection.value) return; // left the page meanwhile
      if (!("IntersectionObserver" in window)) { loadPromos(); return; }
      observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) { observer.disconnect(); loadPromos(); }
      }, { rootMargin: "200px" });
      observer.observe(promoSection.value);
    });
    Vue.onBeforeUnmount(() => observer && observer.disconnect());

    const search = () => go(`/h5/products?q=${encodeURIComponent(q.value.trim())}`);
    const leaves = Vue.computed(() => categories.value.flatMap((c) => c.children.length ? c.children : [c]));
    return { q, categories, leaves, expos, near, promos, promoSection, error, search, chinaTime, go, QUICK, CAMPAIGN };
  },
  template: `
    <header class="hero">
      <p class="hero-kicker">绿色建材下乡</p>
      <h1 class="hero-title">绿色建材进万家<br>美好生活共创建</h1>
      <care-switch compact />
    </header>
    <form action="/h5/products" role="search" @submit.prevent="search">
      <van-search v-model="q" name="q" placeholder="搜瓷砖、门窗、涂料…（可用拼音）" shape="round"
        show-action aria-label="搜索建材" @search="search">
        <template #action><span class="search-action" role="button" @click="search">搜索</span></template>
      </van-search>
    </form>
    <van-notice-bar v-if="error" color="#a61b1b" background="#fdecec" left-icon="warning-o" :text="error" />
    <app-link to="/h5/certificates" class="cert-entry">
      <van-icon name="shield-o" size="28" aria-hidden="true" />
      <span><strong>查认证证书真伪</strong><br><small>输入证书编号，马上告诉您是真是假</small></span>
      <van-icon name="arrow" aria-hidden="true" />
    </app-link>
    <nav class="quick-links" aria-label="常用服务">
      <app-link v-for="l in QUICK" :key="l.to" :to="l.to" class="quick-link">
        <van-icon :name="l.icon" size="28" aria-hidden="true" /><span>{{ l.title }}</span>
      </app-link>
    </nav>
    <nav class="quick-links campaign-links" aria-label="改造服务">
      <app-link v-for="l in CAMPAIGN" :key="l.to" :to="l.to" class="quick-link">
        <van-icon :name="l.icon" size="28" aria-hidden="true" /><span>{{ l.title }}</span>
      </app-link>
    </nav>
    <section aria-labelledby="cat-title">
      <h2 id="cat-title" class="section-title">建材分类</h2>
      <van-grid :column-num="3" :border="false" class="category-grid">
        <van-grid-item v-for="c in leaves" :key="c.slug" :text="c.name"
          :url="'/h5/products?category=' + encodeURIComponent(c.slug)"
          @click.prevent="go('/h5/products?category=' + encodeURIComponent(c.slug))" />
      </van-grid>
    </section>
    <section aria-labelledby="expo-title">
      <h2 id="expo-title" class="section-title">{{ near ? '您附近的展销会' : '近期展销会' }}</h2>
      <van-empty v-if="!expos.length" description="近期暂无展销会" />
      <van-cell-group inset>
        <van-cell v-for="e in expos" :key="e.id" :title="e.title" is-link
          :label="chinaTime(e.starts_at) + ' · ' + e.venue"
          :url="'/h5/expos/' + e.id" @click.prevent="go('/h5/expos/' + e.id)" />
      </van-cell-group>
    </section>
    <section ref="promoSection" aria-labelledby="promo-title" class="promo-section">
      <h2 id="promo-title" class="section-title">限时促销</h2>
      <van-loading v-if="promos === null" class="page-loading" size="24" vertical>正在加载…</van-loading>
      <p v-else-if="!promos.length" class="muted empty-line">暂时没有促销商品</p>
      <div v-for="p in promos" :key="p.id" role="article"><product-card :product="p" /></div>
      <app-link v-if="promos && promos.length" to="/h5/products" class="more-link">查看全部建材 ›</app-link>
    </section>`,
};
