// Upcoming expos.

import { api, chinaTime } from "/assets/shared/api.js";

export default {
  setup() {
    const expos = Vue.ref(null);
    const error = Vue.ref("");
    api.expos({ when: "upcoming" }).then((page) => { expos.value = page.items; })
      .catch((e) => { error.value = e.friendly; });
    return { expos, error, chinaTime };
  },
  template: `
    <van-nav-bar title="展销会" left-arrow left-text="返回" @click-left="$back()" />
    <van-empty v-if="error" image="error" :description="error" />
    <van-loading v-else-if="!expos" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <van-empty v-else-if="!expos.length" description="近期暂无展销会" />
    <van-cell-group v-else inset>
      <van-cell v-for="e in expos" :key="e.id" :title="e.title" is-link :url="'/h5/expos/' + e.id"
        :label="chinaTime(e.starts_at) + ' · ' + e.venue" />
    </van-cell-group>`,
};
