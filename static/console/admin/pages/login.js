// Sign in with an officer's account (accounts are created by the province; no sign-up here).

import { api, errorText, loadSession, session } from "/assets/console/admin/api.js";

const { reactive, ref } = Vue;

export default {
  setup() {
    const form = reactive({ username: "", password: "" });
    const busy = ref(false);
    const error = ref(session.notice || "");

    async function submit() {
      busy.value = true;
      error.value = "";
      try {
        const answer = await api.post("/auth/login", { ...form });
        api.token.set(answer.token);
        await loadSession();
        if (!session.user) error.value = session.notice || "登录失败，请重试";
      } catch (e) {
        error.value = e.status === 401 ? "用户名或密码不正确" : errorText(e);
      } finally {
        busy.value = false;
      }
    }
    return { form, busy, error, submit };
  },
  template: `
    <div class="login-wrap">
      <h1>绿建下乡 · 主管部门工作台</h1>
      <div class="panel">
        <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
        <el-form label-position="top" @submit.prevent="submit">
          <el-form-item label="用户名"><el-input v-model="form.username" autocomplete="username" /></el-form-item>
          <el-form-item label="密码"><el-input v-model="form.password" type="password" show-password autocomplete="current-password" /></el-form-item>
          <el-button type="primary" native-type="submit" :loading="busy" style="width:100%">登录</el-button>
        </el-form>
        <p class="hint">主管部门账号由上级部门开通，只能查看和处理本辖区的数据。</p>
      </div>
    </div>`,
};
