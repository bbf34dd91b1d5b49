// Product list: search `q` (Chinese, pinyin, initials), category, endless scroll on the cursor.

import { api } from "/assets/shared/api.js";
import { go, route } from "/assets/h5/router.js";
import ProductCard from "/assets/h5/product-card.js";

// Small pages: the first products show sooner on a weak network.
const PAGE_SIZE = 6;

export default {
  components: { ProductCard },
  setup() {
    const q = Vue.ref(route.query.get("q") || "");
    const category = route.query.get("category") || "";
    const items = Vue.ref([]);
    const loading = Vue.ref(false);
    const finished = Vue.ref(false);
    const error = Vue.ref(false);
    const errorText = Vue.ref("");
    let cursor = null;
    async function load() {
      try {
        const page = await api.products({ q: q.value.trim(), category, limit: PAGE_SIZE, cursor });
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
    const search = () => go(`/h5/products?q=${encodeURIComponent(q.value.trim())}`, { replace: true });
    return { q, items, loading, finished, error, errorText, load, search };
  },
  template: `
    <van-nav-bar title="绿色建材" left-arrow left-text="返回" @click-left="$back()" />
    <form action="/h5/products" role="search" @submit.prevent="search">
      <van-search v-model="q" name="q" placeholder="搜瓷砖、门窗、涂料…（可用拼音）" shape="round"
        aria-label="搜索建材" @search="search" />
    </form>
    <van-list v-model:loading="loading" v-model:error="error" :finished="finished"
      finished-text="没有更多了" loading-text="正在加载…" :error-text="errorText" @load="load"
      class="product-list">
      <div v-for="p in items" :key="p.id" role="article"><product-card :product="p" /></div>
    </van-list>
    <van-empty v-if="finished && !items.length" description="没有找到相关建材，换个词试试" />`,
};
