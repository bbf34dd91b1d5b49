// 展会: the expos the officer's region organises (drafts, published, cancelled, finished).

import { chinaTime, pagedList } from "/assets/console/admin/api.js";
import { BASE, go } from "/assets/console/admin/router.js";

const { onMounted } = Vue;

export const EXPO_TAG = { draft: "info", published: "success", cancelled: "danger", finished: "info" };

export default {
  setup() {
    const { items, cursor, loading, error, load } = pagedList("/admin/expos");
    onMounted(() => load());
    return { items, cursor, loading, error, load, chinaTime, EXPO_TAG, BASE, go };
  },
  template: `
    <h1>展会</h1>
    <div class="toolbar">
      <el-button type="primary" @click="go(BASE + '/expos/new')">新建展会</el-button>
      <span class="muted">本辖区主办的乡镇绿色建材展销会。新建后为草稿，核对无误再发布。</span>
    </div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">展会列表</caption>
        <thead><tr><th scope="col">展会</th><th scope="col">地点</th><th scope="col">展会时间</th><th scope="col" class="num">报名 / 名额</th>
          <th scope="col">状态</th></tr></thead>
        <tbody>
          <tr v-for="e in items" :key="e.id" :data-expo="e.id">
            <td><app-link :to="BASE + '/expos/' + e.id">{{ e.title }}</app-link></td>
            <td>{{ e.venue }}</td>
            <td>{{ chinaTime(e.starts_at) }}<br>至 {{ chinaTime(e.ends_at) }}</td>
            <td class="num">{{ e.registered }} / {{ e.capacity }}</td>
            <td><el-tag :type="EXPO_TAG[e.status] || 'info'" size="small">{{ e.status_label }}</el-tag>
              <div v-if="e.registration_open" class="hint">报名中</div></td>
          </tr>
          <tr v-if="!loading && !items.length && !error"><td colspan="5" class="empty">还没有展会</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>`,
};
