// The expo page's gate staff: who may scan tickets at this expo; add an expo-staff account of
// the region, remove one.

import { all, api, errorText, pagedList, toast } from "/assets/console/admin/api.js";

const { ref, onMounted } = Vue;

export default {
  props: { expoId: { type: [String, Number], required: true } },
  setup(props) {
    const { items, cursor, loading, error, load } = pagedList(`/admin/expos/${props.expoId}/staff`);
    const accounts = ref([]);
    const chosen = ref("");
    const formError = ref("");

    async function add() {
      formError.value = "";
      if (!chosen.value) { formError.value = "请选择工作人员账号"; return; }
      try {
        await api.post(`/admin/expos/${props.expoId}/staff`, { user_id: Number(chosen.value) });
        chosen.value = "";
        toast("已添加工作人员");
        await load();
      } catch (e) {
        formError.value = errorText(e);
      }
    }
    async function remove(user) {
      try {
        await api.del(`/admin/expos/${props.expoId}/staff/${user.id}`);
        items.value = items.value.filter((u) => u.id !== user.id);
        toast("已移除");
      } catch (e) {
        toast(errorText(e), "error");
      }
    }
    onMounted(async () => {
      load();
      try {
        accounts.value = await all("/admin/users", { role: "expo_staff" });
      } catch (e) {
        formError.value = errorText(e);
      }
    });
    return { items, cursor, loading, error, load, accounts, chosen, formError, add, remove };
  },
  template: `
    <div class="panel">
      <h2 style="margin-top:0">入口工作人员</h2>
      <p class="hint">工作人员用“展会验票”扫村民的入场码。只能添加本辖区的展会工作人员账号。</p>
      <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
      <div class="table-wrap">
        <table class="grid expo-staff">
          <caption class="sr-only">工作人员</caption>
          <thead><tr><th scope="col">账号</th><th scope="col">称呼</th><th scope="col">操作</th></tr></thead>
          <tbody>
            <tr v-for="u in items" :key="u.id"><td>{{ u.username }}</td><td>{{ u.nickname || '—' }}</td>
              <td class="actions"><el-button size="small" type="danger" plain @click="remove(u)" :aria-label="'移除 ' + u.username">移除</el-button></td></tr>
            <tr v-if="!loading && !items.length"><td colspan="3" class="empty">还没有工作人员</td></tr>
          </tbody>
        </table>
      </div>
      <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>
      <el-alert v-if="formError" :title="formError" type="error" :closable="false" show-icon role="alert" style="margin:12px 0" />
      <div class="toolbar" style="margin-top:12px;align-items:flex-end">
        <div><label for="expo-staff-user" class="hint" style="display:block">添加工作人员</label>
          <select id="expo-staff-user" class="native" style="width:auto;min-width:220px" v-model="chosen">
            <option value="">请选择账号</option>
            <option v-for="a in accounts" :key="a.id" :value="String(a.id)">{{ a.nickname || a.username }}（{{ a.username }}）</option>
          </select></div>
        <el-button type="primary" @click="add">添加</el-button>
      </div>
    </div>`,
};
