// Logging in as expo staff (工作人员).

import { api } from "/assets/console/gate/sync.js";
import { go, setUser } from "/assets/console/gate/nav.js";
import { unlockAudio } from "/assets/console/gate/feedback.js";
import * as store from "/assets/console/gate/store.js";

export default {
  setup() {
    const form = Vue.reactive({ username: "", password: "" });
    const state = Vue.reactive({ busy: false, error: "", bundles: [] });
    // With no network there is no login, but a bundle on the phone still lets the gate work.
    Vue.onMounted(async () => {
      try { state.bundles = await store.listBundles(); } catch { /* no IndexedDB */ }
    });
    function offline(bundle) {
      unlockAudio();
      go(`/console/gate/expos/${bundle.expoId}`);
    }

    async function submit() {
      unlockAudio();
      state.error = "";
      if (!form.username || !form.password) {
        state.error = "请输入账号和密码";
        return;
      }
      state.busy = true;
      try {
        const answer = await api.post("/auth/login", { username: form.username.trim(),
          password: form.password });
        if (answer.user.role !== "expo_staff") {
          state.error = "该账号不是展会工作人员，不能使用验票";
          return;
        }
        api.token.set(answer.token);
        setUser(answer.user);
        go("/console/gate/", { replace: true });
      } catch (error) {
        state.error = error.code === "network" ? "网络不通，无法登录；已下载离线数据的展会仍可验票"
          : error.friendly;
      } finally {
        state.busy = false;
      }
    }
    return { form, state, submit, offline };
  },
  template: `
    <section class="login" aria-labelledby="login-title">
      <h1 id="login-title" class="login-title">展会入口验票</h1>
      <p class="login-sub">绿色建材下乡 · 工作人员登录</p>
      <el-form label-position="top" size="large" @submit.prevent="submit">
        <el-form-item label="账号">
          <el-input v-model="form.username" autocomplete="username" name="username" />
        </el-form-item>
        <el-form-item label="密码">
          <el-input v-model="form.password" type="password" autocomplete="current-password"
            name="password" />
        </el-form-item>
        <p v-if="state.error" class="form-error" role="alert">{{ state.error }}</p>
        <el-button type="primary" native-type="submit" size="large" class="wide"
          :loading="state.busy">登录</el-button>
      </el-form>
      <section v-if="state.bundles.length" class="offline-entry" aria-labelledby="offline-title">
        <h2 id="offline-title" class="section-title">没有网络？用本机的离线数据验票</h2>
        <el-button v-for="b in state.bundles" :key="b.expoId" size="large" class="wide"
          @click="offline(b)">{{ b.expo.title }}</el-button>
        <p class="hint">离线核验的记录保存在本机，登录后自动上传。</p>
      </section>
    </section>`,
};
