// Picking one of my expos; those with offline data on this phone open without a network.

import { chinaTime } from "/assets/shared/api.js";
import { api } from "/assets/console/gate/sync.js";
import * as store from "/assets/console/gate/store.js";
import { ago, go } from "/assets/console/gate/nav.js";
import { unlockAudio } from "/assets/console/gate/feedback.js";

const CACHE_KEY = "lvjian.gate.expos";

function openNow(expo, now = Date.now()) {
  const opens = new Date(expo.starts_at).getTime() - 3600 * 1000;
  return expo.status === "published" && opens <= now && now <= new Date(expo.ends_at).getTime();
}

export default {
  setup() {
    const state = Vue.reactive({ loading: true, error: "", expos: [], bundles: new Map(),
      stale: false });

    async function load() {
      state.loading = true;
      try {
        const bundles = await store.listBundles();
        state.bundles = new Map(bundles.map((b) => [b.expoId, b]));
      } catch { /* no IndexedDB: the gate still works online */ }
      try {
        const page = await api.get("/staff/expos", { limit: 100 });
        state.expos = page.items;
        state.stale = false;
        localStorage.setItem(CACHE_KEY, JSON.stringify(page.items));
      } catch (error) {
        const cached = JSON.parse(localStorage.getItem(CACHE_KEY) || "null");
        if (error.status === 401) { go("/console/gate/login", { replace: true }); return; }
        if (cached) { state.expos = cached; state.stale = true; }
        state.error = error.code === "network" ? "网络不通，显示的是上次的展会列表" : error.friendly;
      } finally {
        state.loading = false;
      }
    }

    function enter(expo) {
      unlockAudio();
      go(`/console/gate/expos/${expo.id}`);
    }

    Vue.onMounted(load);
    return { state, enter, chinaTime, openNow, ago };
  },
  template: `
    <section aria-labelledby="expos-title">
      <h1 id="expos-title" class="page-title">选择展会</h1>
      <el-alert v-if="state.error" :title="state.error" type="warning" show-icon :closable="false" />
      <p v-if="state.loading" class="muted">正在加载…</p>
      <p v-else-if="!state.expos.length" class="muted">您还没有被分配到任何展会，请联系主办方。</p>
      <ul class="expo-list">
        <li v-for="expo in state.expos" :key="expo.id" class="expo-card">
          <h2 class="expo-title">{{ expo.title }}</h2>
          <p class="expo-meta">{{ expo.venue }}</p>
          <p class="expo-meta">{{ chinaTime(expo.starts_at) }} 至 {{ chinaTime(expo.ends_at) }}</p>
          <p class="expo-tags">
            <span v-if="openNow(expo)" class="tag tag-open">正在入场</span>
            <span v-else class="tag">{{ expo.status_label }}</span>
            <span v-if="state.bundles.has(expo.id)" class="tag tag-data">
              离线数据 {{ ago(state.bundles.get(expo.id).refreshedAt) }}更新</span>
            <span v-else class="tag">未下载离线数据</span>
          </p>
          <el-button type="primary" size="large" class="wide" @click="enter(expo)"
            :aria-label="'进入验票：' + expo.title">进入验票</el-button>
        </li>
      </ul>
    </section>`,
};
