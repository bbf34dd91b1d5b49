// Product list: search `q` (Chinese, pinyin, initials), filters (category, star, price range)
// and sort, all kept in the URL so a filtered list can be shared; endless scroll on the cursor.

import { api } from "/assets/shared/api.js";
import { go, route } from "/assets/h5/router.js";
import ProductCard from "/assets/h5/product-card.js";

// Small pages: the first products show sooner on a weak network.
const PAGE_SIZE = 6;
const FILTERS = ["q", "category", "star", "price", "sort"];

const STARS = [
  { text: "星级不限", value: "" },
  { text: "一星级及以上", value: "1" },
  { text: "二星级及以上", value: "2" },
  { text: "三星级", value: "3" },
];
// Price ranges in yuan, "low-high" (either end open); the API takes fen.
const PRICES = [
  { text: "价格不限", value: "" },
  { text: "100 元以下", value: "0-100" },
  { text: "100–500 元", value: "100-500" },
  { text: "500–2000 元", value: "500-2000" },
  { text: "2000–1 万元", value: "2000-10000" },
  { text: "1 万元以上", value: "10000-" },
];
const SORTS = [
  { text: "综合排序", value: "" },
  { text: "最新上架", value: "newest" },
  { text: "价格从低到高", value: "price_asc" },
  { text: "价格从高到低", value: "price_desc" },
  { text: "认证星级从高到低", value: "star" },
];

function priceParams(range) {
  const found = /^(\d*)-(\d*)$/.exec(range || "");
  if (!found) return {};
  return { min_price_fen: found[1] ? Number(found[1]) * 100 : undefined,
    max_price_fen: found[2] ? Number(found[2]) * 100 : undefined };
}

export default {
  components: { ProductCard },
  setup() {
    const chosen = Vue.reactive(Object.fromEntries(FILTERS.map((k) => [k, route.query.get(k) || ""])));
    const q = Vue.ref(chosen.q);
    const categories = Vue.ref([{ text: "全部分类", value: "" }]);
    api.categories().then((tree) => {
      categories.value = [{ text: "全部分类", value: "" }, ...tree.flatMap((c) => [
        { text: c.name, value: c.slug },
        ...c.children.map((k) => ({ text: `· ${k.name}`, value: k.slug })),
      ])];
    }).catch(() => {});
    const items = Vue.ref([]);
    const loading = Vue.ref(false);
    const finished = Vue.ref(false);
    const error = Vue.ref(false);
    const errorText = Vue.ref("");
    let cursor = null;
    async function load() {
      try {
        const page = await api.products({ q: chosen.q.trim(), category: chosen.category,
          star: chosen.star, sort: chosen.sort, ...priceParams(chosen.price), limit: PAGE_SIZE, cursor });
        items.value.push(...page.items);
        cursor = page.next_cursor;
        finished.value = !cursor;
      } catch (e) {
        error.value = true;
        errorText.value = `${e.friendly}，点此重试`;
      } finally {
        loading.value = false;
      }
    }
    // Every change is a new URL (replacing this one): the page reloads its list from it.
    function apply(changes) {
      const next = { ...chosen, ...changes };
      const query = new URLSearchParams(Object.entries(next).filter(([, v]) => v)).toString();
      go(`/h5/products${query ? "?" + query : ""}`, { replace: true });
    }
    const search = () => apply({ q: q.value.trim() });
    const filtered = Vue.computed(() => Boolean(chosen.category || chosen.star || chosen.price));
    const clear = () => apply({ category: "", star: "", price: "" });
    return { q, chosen, categories, items, loading, finished, error, errorText, load, search,
      apply, filtered, clear, STARS, PRICES, SORTS };
  },
  template: `
    <van-nav-bar title="绿色建材" left-arrow left-text="返回" @click-left="$back()" />
    <form action="/h5/products" role="search" @submit.prevent="search">
      <van-search v-model="q" name="q" placeholder="搜瓷砖、门窗、涂料…（可用拼音）" shape="round"
        aria-label="搜索建材" @search="search" />
    </form>
    <nav aria-label="筛选和排序" class="filter-bar">
      <van-dropdown-menu active-color="#145c38">
        <van-dropdown-item :model-value="chosen.category" :options="categories" teleport="body"
          @update:model-value="(v) => apply({ category: v })" />
        <van-dropdown-item :model-value="chosen.star" :options="STARS" teleport="body"
          @update:model-value="(v) => apply({ star: v })" />
        <van-dropdown-item :model-value="chosen.price" :options="PRICES" teleport="body"
          @update:model-value="(v) => apply({ price: v })" />
        <van-dropdown-item :model-value="chosen.sort" :options="SORTS" teleport="body"
          @update:model-value="(v) => apply({ sort: v })" />
      </van-dropdown-menu>
    </nav>
    <p v-if="filtered" class="filter-note">已按条件筛选 <button type="button" class="link-button" @click="clear">清除筛选</button></p>
    <van-list v-if="!(finished && !items.length)" v-model:loading="loading" v-model:error="error" :finished="finished"
      finished-text="没有更多了" loading-text="正在加载…" :error-text="errorText" @load="load"
      class="product-list">
      <div v-for="p in items" :key="p.id" role="article"><product-card :product="p" /></div>
    </van-list>
    <van-empty v-if="finished && !items.length" description="没有找到相关建材，换个词或条件试试" />`,
};
