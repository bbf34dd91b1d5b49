// The owner's staff accounts: staff work the till and products, not staff or coupons.

import { all, api, chinaTime, errorText, toast } from "/assets/console/merchant/api.js";

const { reactive, ref, onMounted } = Vue;

export default {
  setup() {
    const staff = ref([]);
    const loading = ref(true);
    const error = ref("");
    const open = ref(false);
    const form = reactive({ username: "", password: "", nickname: "" });
    const formError = ref("");
    const busy = ref(false);

    async function load() {
      loading.value = true;
      try { staff.value = await all("/merchant/staff"); error.value = ""; } catch (e) { error.value = errorText(e); }
      loading.value = false;
    }
    async function add() {
      busy.value = true;
      formError.value = "";
      try {
        const body = { username: form.username, password: form.password };
        if (form.nickname) body.nickname = form.nickname;
        await api.post("/merchant/staff", body);
        open.value = false;
        Object.assign(form, { username: "", password: "", nickname: "" });
        toast("员工账号已创建");
        await load();
      } catch (e) {
        formError.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    async function remove(person) {
      try {
        await ElementPlus.ElMessageBox.confirm(`停用员工「${person.nickname || person.username}」的账号？停用后该账号立即退出登录。`,
          "停用员工", { confirmButtonText: "停用", cancelButtonText: "取消", type: "warning" });
      } catch { return; }
      try {
        await api.del(`/merchant/staff/${person.id}`);
        toast("已停用");
        await load();
      } catch (e) {
        toast(errorText(e), "error");
      }
    }
    onMounted(load);
    return { staff, loading, error, open, form, formError, busy, add, remove, chinaTime };
  },
  template: `
    <h1>员工</h1>
    <div class="toolbar"><el-button type="primary" @click="open = true">添加员工</el-button>
      <span class="muted">员工可以收银核销、管理商品；优惠券、促销、员工和撤销核销只有店主能操作。</span></div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">员工列表</caption>
        <thead><tr><th scope="col">用户名</th><th scope="col">称呼</th><th scope="col">创建时间</th><th scope="col">最近登录</th><th scope="col">操作</th></tr></thead>
        <tbody>
          <tr v-for="p in staff" :key="p.id">
            <td>{{ p.username }}</td><td>{{ p.nickname }}</td><td>{{ chinaTime(p.created_at) }}</td>
            <td>{{ p.last_login_at ? chinaTime(p.last_login_at) : '从未登录' }}</td>
            <td class="actions"><el-button size="small" type="danger" plain @click="remove(p)">停用</el-button></td>
          </tr>
          <tr v-if="!loading && !staff.length"><td colspan="5" class="empty">还没有员工账号</td></tr>
        </tbody>
      </table>
    </div>
    <el-dialog v-model="open" title="添加员工" width="min(480px, 94vw)">
      <el-alert v-if="formError" :title="formError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
      <el-form label-position="top" @submit.prevent="add">
        <el-form-item label="用户名（3–32 位字母、数字或 _ . -）"><el-input v-model="form.username" autocomplete="off" /></el-form-item>
        <el-form-item label="初始密码（至少 8 位）"><el-input v-model="form.password" type="password" show-password autocomplete="new-password" /></el-form-item>
        <el-form-item label="称呼（选填）"><el-input v-model="form.nickname" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="busy">创建账号</el-button>
        <el-button @click="open = false">取消</el-button>
      </el-form>
    </el-dialog>`,
};
