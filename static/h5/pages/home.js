// Home: the campaign theme, search, category grid, upcoming expos, the certificate check.

import { api, chinaTime } from "/assets/shared/api.js";
import { go } from "/assets/h5/router.js";

export default {
  setup() {
    const q = Vue.ref("");
    const categories = Vue.ref([]);
    const expos = Vue.ref([]);
    const error = Vue.ref("");
    api.categories().then((tree) => { categories.value = tree; })
      .catch((e) => { error.value = e.friendly; });
    api.expos({ when: "upcoming", limit: 3 }).then((page) => { expos.value = page.items; })
      .catch((e) => { error.value = e.friendly; });
    const search = () => go(`/h5/products?q=${encodeURIComponent(q.value.trim())}`);
    const leaves = Vue.computed(() => categories.value.flatMap((c) => c.children.length ? c.children : [c]));
    return { q, categories, leaves, expos, error, search, chinaTime, go };
  },
  template: `
    <header class="hero">
      <p class="hero-kicker">绿色建材下乡</p>
      <h1 class="hero-title">绿色建材进万家<br>美好生活共创建</h1>
    </header>
    <form action="/h5/products" role="search" @submit.prevent="search">
      <van-search v-model="q" name="q" placeholder="搜瓷砖、门窗、涂料…（可用拼音）" shape="round"
        show-action aria-label="搜索建材" @search="search">
        <template #action><span class="search-action" role="button" @click="search">搜索</span></template>
      </van-search>
    </form>
    <van-notice-bar v-if="error" color="#a61b1b" background="#fdecec" left-icon="warning-o" :text="error" />
    <app-link to="/h5/certificates" class="cert-entry">
      <van-icon name="shield-o" size="28" />
      <span><strong>查认证证书真伪</strong><br><small>输入证书编号，马上告诉您是真是假</small></span>
      <van-icon name="arrow" />
    </app-link>
    <section aria-labelledby="cat-title">
      <h2 id="cat-title" class="section-title">建材分类</h2>
      <van-grid :column-num="3" :border="false" class="category-grid">
        <van-grid-item v-for="c in leaves" :key="c.slug" :text="c.name"
          :url="'/h5/products?category=' + encodeURIComponent(c.slug)"
          @click.prevent="go('/h5/products?category=' + encodeURIComponent(c.slug))" />
      </van-grid>
    </section>
    <section aria-labelledby="expo-title">
      <h2 id="expo-title" class="section-title">近期展销会</h2>
      <van-empty v-if="!expos.length" description="近期暂无展销会" />
      <van-cell-group inset>
        <van-cell v-for="e in expos" :key="e.id" :title="e.title" is-link
          :label="chinaTime(e.starts_at) + ' · ' + e.venue"
          :url="'/h5/expos/' + e.id" @click.prevent="go('/h5/expos/' + e.id)" />
      </van-cell-group>
    </section>`,
};
