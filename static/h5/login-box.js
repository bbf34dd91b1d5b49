// Login in the browser. Until SMS login lands only the dev-mode login exists (dev and tests).

import { api } from "/assets/shared/api.js";

export default {
  emits: ["done"],
  setup(_, { emit }) {
    const dev = Boolean(window.LVJIAN && window.LVJIAN.dev_login);
    const name = Vue.ref("");
    const error = Vue.ref("");
    const busy = Vue.ref(false);
    async function login() {
      if (!name.value.trim()) { error.value = "请输入测试用户名"; return; }
      busy.value = true;
      try {
        await api.devLogin(name.value.trim());
        emit("done");
      } catch (e) {
        error.value = e.friendly;
      } finally {
        busy.value = false;
      }
    }
    return { dev, name, error, busy, login };
  },
  template: `
    <section class="card login-box">
      <h2>请先登录</h2>
      <form v-if="dev" @submit.prevent="login">
        <p class="dev-note">开发模式：输入任意测试用户名即可登录（正式环境不提供）。</p>
        <van-field v-model="name" label="测试用户名" placeholder="例如 zhangsan"
          :error-message="error" autocomplete="off" />
        <van-button type="primary" block native-type="submit" :loading="busy" class="big-button">登录</van-button>
      </form>
      <p v-else>手机号登录即将开通，目前请在“绿建下乡”微信小程序中报名。</p>
    </section>`,
};
