// 店铺审核: the shops of the officer's region (pending first by default), a detail drawer, and
// the decision: approve, reject (with a reason), suspend an approved shop, reinstate it.

import { api, chinaTime, errorText, pagedList, session, toast } from "/assets/console/admin/api.js";
import { BASE } from "/assets/console/admin/router.js";
import RegionPicker from "/assets/shared/region-picker.js";

const { reactive, ref, onMounted } = Vue;

const STATUSES = [["pending", "待审核"], ["approved", "已通过"], ["rejected", "已驳回"], ["suspended", "已暂停"], ["", "全部"]];
export const SHOP_TAG = { pending: "warning", approved: "success", rejected: "danger", suspended: "info" };
// action → [button text, needs a reason, done message]
const ACTIONS = {
  approve: ["审核通过", false, "已通过，店铺可以上架商品了"],
  reject: ["驳回", true, "已驳回，商家会收到驳回原因"],
  suspend: ["暂停营业", true, "已暂停，该店商品已从村民端下架"],
  reinstate: ["恢复营业", false, "已恢复"],
};
const ALLOWED = { pending: ["approve", "reject"], approved: ["suspend"], suspended: ["reinstate"], rejected: [] };

export default {
  setup() {
    const filter = reactive({ status: "pending", region: "" });
    const { items, cursor, loading, error, load } = pagedList("/admin/shops",
      { params: () => ({ status: filter.status, region_code: filter.region }) });
    const open = ref(null); // the shop in the drawer
    const note = ref("");
    const decideError = ref("");
    const busy = ref("");

    function show(shop) {
      open.value = shop;
      note.value = "";
      decideError.value = "";
    }
    async function decide(action) {
      decideError.value = "";
      if (ACTIONS[action][1] && note.value.trim().length < 2) {
        decideError.value = "请填写原因（至少 2 个字），商家会看到";
        return;
      }
      busy.value = action;
      try {
        const updated = await api.post(`/admin/shops/${open.value.id}/decision`,
          { action, note: note.value.trim() || null });
        items.value = items.value.map((s) => (s.id === updated.id ? updated : s));
        open.value = updated;
        note.value = "";
        toast(ACTIONS[action][2]);
      } catch (e) {
        decideError.value = errorText(e);
      } finally {
        busy.value = "";
      }
    }
    function regionChanged(code) {
      filter.region = code;
      items.value = []; // a region out of scope answers 403: show no stale rows under the alert
      cursor.value = null;
      load();
    }
    onMounted(() => load());
    return { filter, items, cursor, loading, error, load, open, note, decideError, busy, show, decide, regionChanged,
      chinaTime, session, STATUSES, SHOP_TAG, ACTIONS, ALLOWED, BASE };
  },
  components: { RegionPicker },
  template: `
    <h1>店铺审核</h1>
    <p class="muted">本辖区（{{ session.user.region_name || session.user.region_code }}）商家提交的开店申请。点“查看”核对资料后作出决定，驳回或暂停须写明原因。</p>
    <div class="panel">
      <div class="toolbar" style="margin:0">
        <label for="shop-status">状态</label>
        <select id="shop-status" class="native" style="width:auto" v-model="filter.status" @change="load()">
          <option v-for="s in STATUSES" :key="s[0]" :value="s[0]">{{ s[1] }}</option>
        </select>
      </div>
      <p class="hint" style="margin-top:10px">按地区筛选（选填，只能选本辖区内的地区）：</p>
      <region-picker :model-value="filter.region" id-prefix="shop-region" @update:model-value="regionChanged" />
    </div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">店铺列表</caption>
        <thead><tr><th scope="col">店铺</th><th scope="col">地区代码</th><th scope="col">地址</th><th scope="col">申请时间</th>
          <th scope="col">状态</th><th scope="col">操作</th></tr></thead>
        <tbody>
          <tr v-for="s in items" :key="s.id" :data-shop="s.id">
            <td>{{ s.name }}</td><td>{{ s.region_code }}</td><td>{{ s.address }}</td><td>{{ chinaTime(s.created_at) }}</td>
            <td><el-tag :type="SHOP_TAG[s.status] || 'info'" size="small">{{ s.status_label }}</el-tag>
              <div v-if="s.decision_note" class="hint">{{ s.decision_note }}</div></td>
            <td class="actions"><el-button size="small" type="primary" plain @click="show(s)">查看</el-button></td>
          </tr>
          <tr v-if="!loading && !items.length && !error"><td colspan="6" class="empty">没有符合条件的店铺</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>
    <el-drawer :model-value="!!open" @update:model-value="(v) => { if (!v) open = null }" :title="open ? '店铺：' + open.name : ''" size="min(520px, 96vw)">
      <template v-if="open">
        <el-descriptions :column="1" border>
          <el-descriptions-item label="状态"><el-tag :type="SHOP_TAG[open.status] || 'info'">{{ open.status_label }}</el-tag></el-descriptions-item>
          <el-descriptions-item label="地区代码">{{ open.region_code }}</el-descriptions-item>
          <el-descriptions-item label="地址">{{ open.address }}</el-descriptions-item>
          <el-descriptions-item label="联系电话">{{ open.contact_phone || '未填' }}</el-descriptions-item>
          <el-descriptions-item label="店铺介绍">{{ open.description || '—' }}</el-descriptions-item>
          <el-descriptions-item label="关联获证企业">{{ open.enterprise_id ? '企业 #' + open.enterprise_id : '无（经销商）' }}</el-descriptions-item>
          <el-descriptions-item label="申请时间">{{ chinaTime(open.created_at) }}</el-descriptions-item>
          <el-descriptions-item v-if="open.decided_at" label="处理时间">{{ chinaTime(open.decided_at) }}</el-descriptions-item>
          <el-descriptions-item v-if="open.decision_note" label="处理意见">{{ open.decision_note }}</el-descriptions-item>
        </el-descriptions>
        <p><app-link :to="BASE + '/products?shop=' + open.id">查看该店的商品</app-link></p>
        <div v-if="ALLOWED[open.status] && ALLOWED[open.status].length" class="panel" style="margin-top:12px">
          <h2 style="margin-top:0">处理</h2>
          <el-alert v-if="decideError" :title="decideError" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
          <el-form label-position="top" @submit.prevent>
            <el-form-item label="处理意见（驳回、暂停时必填）" for="shop-note">
              <el-input id="shop-note" v-model="note" type="textarea" :rows="3" maxlength="255" />
            </el-form-item>
            <el-button v-for="a in ALLOWED[open.status]" :key="a" :type="ACTIONS[a][1] ? 'danger' : 'primary'"
              :plain="ACTIONS[a][1]" :loading="busy === a" @click="decide(a)">{{ ACTIONS[a][0] }}</el-button>
          </el-form>
        </div>
      </template>
    </el-drawer>`,
};
