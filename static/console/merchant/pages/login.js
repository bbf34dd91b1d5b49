// Sign in, or sign up as a new merchant owner (the shop is applied for next).

import { api, errorText, loadSession, session } from "/assets/console/merchant/api.js";

const { reactive, ref } = Vue;

export default {
  setup() {
    const tab = ref("login");
    const login = reactive({ username: "", password: "" });
    const signup = reactive({ username: "", password: "", phone: "", nickname: "" });
    const busy = ref(false);
    const error = ref(session.notice || "");

    async function enter(path, body) {
      busy.value = true;
      error.value = "";
      try {
        const answer = await api.post(path, body);
        api.token.set(answer.token);
        await loadSession();
        if (!session.user) error.value = session.notice || "登录失败，请重试";
      } catch (e) {
        error.value = e.status === 401 ? "用户名或密码不正确" : errorText(e);
      } finally {
        busy.value = false;
      }
    }
    const doLogin = () => enter("/auth/login", { ...login });
    const doSignup = () => {
      const body = { username: signup.username, password: signup.password, phone: signup.phone };
      if (signup.nickname) body.nickname = signup.nickname;
      return enter("/merchant/signup", body);
    };
    return { tab, login, signup, busy, error, doLogin, doSignup };
  },
  template: `
    <div class="login-wrap">
      <h1>绿建下乡 · 商家后台</h1>
      <div class="panel">
        <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
        <el-tabs v-model="tab">
          <el-tab-pane label="登录" name="login">
            <el-form label-position="top" @submit.prevent="doLogin">
              <el-form-item label="用户名"><el-input v-model="login.username" autocomplete="username" /></el-form-item>
              <el-form-item label="密码"><el-input v-model="login.password" type="password" show-password autocomplete="current-password" /></el-form-item>
              <el-button type="primary" native-type="submit" :loading="busy" style="width:100%">登录</el-button>
            </el-form>
          </el-tab-pane>
          <el-tab-pane label="注册商家账号" name="signup">
            <el-form label-position="top" @submit.prevent="doSignup">
              <el-form-item label="用户名（3–32 位字母、数字或 _ . -）"><el-input v-model="signup.username" autocomplete="username" /></el-form-item>
              <el-form-item label="密码（至少 8 位）"><el-input v-model="signup.password" type="password" show-password autocomplete="new-password" /></el-form-item>
              <el-form-item label="手机号"><el-input v-model="signup.phone" type="tel" autocomplete="tel" /></el-form-item>
              <el-form-item label="称呼（选填）"><el-input v-model="signup.nickname" /></el-form-item>
              <el-button type="primary" native-type="submit" :loading="busy" style="width:100%">注册并申请开店</el-button>
              <p class="hint">注册后填写店铺资料，由店铺所在地主管部门审核。</p>
            </el-form>
          </el-tab-pane>
        </el-tabs>
      </div>
    </div>`,
};
