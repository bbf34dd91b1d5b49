// Township expos open for registration: the owner applies for a booth; the organiser decides.

import { api as storefront } from "/assets/shared/api.js";
import { api, chinaTime, errorText, isOwner, pagedList, toast } from "/assets/console/merchant/api.js";

const { reactive, ref, onMounted } = Vue;

const TAG = { applied: "warning", approved: "success", rejected: "danger" };

export default {
  setup() {
    const booths = reactive({}); // expo id → the booth answer
    const { items, cursor, error, load } = pagedList("/expos", {
      params: () => ({ when: "upcoming", limit: 20 }), get: storefront.get,
      failed: "展会列表加载失败，请稍后再试" });
    async function apply(expo) {
      try {
        booths[expo.id] = await api.post(`/merchant/expos/${expo.id}/booths`);
        toast(booths[expo.id].status === "applied" ? "展位申请已提交，等待主办方审核" : `展位申请${booths[expo.id].status_label}`);
      } catch (e) {
        toast(errorText(e), "error");
      }
    }
    onMounted(() => load());
    return { items, cursor, error, booths, load, apply, chinaTime, TAG, owner: isOwner() };
  },
  template: `
    <h1>展会展位</h1>
    <p class="muted">乡镇绿色建材展销会：申请展位后由主办方审核；审核通过后可以发放“展会到场专享券”。再次点击可查看申请状态。</p>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">展会列表</caption>
        <thead><tr><th scope="col">展会</th><th scope="col">地点</th><th scope="col">时间</th><th scope="col">展位申请</th></tr></thead>
        <tbody>
          <tr v-for="e in items" :key="e.id">
            <td>{{ e.title }}<div class="hint">已报名 {{ e.registered }} / {{ e.capacity }} 人</div></td>
            <td>{{ e.venue }}</td>
            <td>{{ chinaTime(e.starts_at) }}<br>至 {{ chinaTime(e.ends_at) }}</td>
            <td class="actions">
              <el-tag v-if="booths[e.id]" :type="TAG[booths[e.id].status] || 'info'" size="small" style="margin-right:8px">
                {{ booths[e.id].status_label }}{{ booths[e.id].booth_no ? '（' + booths[e.id].booth_no + '）' : '' }}</el-tag>
              <el-button v-if="owner" size="small" type="primary" plain @click="apply(e)">{{ booths[e.id] ? '刷新状态' : '申请展位' }}</el-button>
              <span v-else class="muted">由店主申请</span>
            </td>
          </tr>
          <tr v-if="!items.length"><td colspan="4" class="empty">近期没有展会</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button @click="load(true)">加载更多</el-button></div>`,
};
