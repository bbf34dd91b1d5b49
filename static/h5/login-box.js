// Login in the browser: phone number + SMS code. In dev mode (no WeChat app configured) the
// server answers the code (`dev_code`), shown in a note and filled in; the dev-mode test
// username login stays as a secondary option there.

import { api } from "/assets/shared/api.js";
import { forgetPersonal } from "/assets/h5/offline.js";

const PHONE = /^1[3-9]\d{9}$/;

export default {
  props: { title: { type: String, default: "请先登录" } },
  emits: ["done"],
  setup(_, { emit }) {
    const dev = Boolean(window.LVJIAN && window.LVJIAN.dev_login);
    const phone = Vue.ref("");
    const code = Vue.ref("");
    const phoneError = Vue.ref("");
    const codeError = Vue.ref("");
    const error = Vue.ref("");
    const sentTo = Vue.ref("");
    const devCode = Vue.ref("");
    const countdown = Vue.ref(0);
    const sending = Vue.ref(false);
    const busy = Vue.ref(false);
    let timer = null;

    function startCountdown(seconds) {
      clearInterval(timer);
      countdown.value = seconds;
      timer = setInterval(() => {
        countdown.value -= 1;
        if (countdown.value <= 0) clearInterval(timer);
      }, 1000);
    }
    Vue.onBeforeUnmount(() => clearInterval(timer));

    function checkPhone() {
      phoneError.value = PHONE.test(phone.value.trim()) ? "" : "请输入正确的 11 位手机号";
      return !phoneError.value;
    }

    async function sendCode() {
      error.value = "";
      if (!checkPhone() || countdown.value > 0) return;
      sending.value = true;
      try {
        const answer = await api.smsCode(phone.value.trim());
        sentTo.value = answer.phone;
        devCode.value = answer.dev_code || "";
        if (devCode.value && dev) code.value = devCode.value;
        startCountdown(answer.resend_after || 60);
      } catch (e) {
        if (e.code === "validation_error") {
          phoneError.value = (e.body.errors && e.body.errors.phone && e.body.errors.phone[0]) || "手机号格式不正确";
        } else if (e.code === "sms_rate_limited") {
          // The server's sentence names the wait; Retry-After gives it (a day's limit: hours).
          error.value = e.message || e.friendly;
          if (e.retryAfter && e.retryAfter <= 120) startCountdown(e.retryAfter);
        } else {
          error.value = e.message && e.status && e.status < 500 ? e.message : e.friendly;
        }
      } finally {
        sending.value = false;
      }
    }

    async function login() {
      error.value = "";
      codeError.value = "";
      if (!checkPhone()) return;
      if (!/^\d{4,8}$/.test(code.value.trim())) { codeError.value = "请输入短信验证码"; return; }
      busy.value = true;
      try {
        const answer = await api.smsLogin(phone.value.trim(), code.value.trim());
        await forgetPersonal(); // another villager's saved tickets must not show
        emit("done", answer);
      } catch (e) {
        if (e.code === "sms_code_invalid") codeError.value = e.friendly;
        else if (e.code === "sms_code_attempts") { codeError.value = e.friendly; code.value = ""; countdown.value = 0; }
        else error.value = e.friendly;
      } finally {
        busy.value = false;
      }
    }

    const name = Vue.ref("");
    const nameError = Vue.ref("");
    async function devLogin() {
      if (!name.value.trim()) { nameError.value = "请输入测试用户名"; return; }
      busy.value = true;
      try {
        const answer = await api.devLogin(name.value.trim());
        await forgetPersonal();
        emit("done", answer);
      } catch (e) {
        nameError.value = e.friendly;
      } finally {
        busy.value = false;
      }
    }
    return { dev, phone, code, phoneError, codeError, error, sentTo, devCode, countdown, sending,
      busy, sendCode, login, name, nameError, devLogin };
  },
  template: `
    <section class="card login-box" aria-labelledby="login-title">
      <h2 id="login-title">{{ title }}</h2>
      <p class="muted">用手机号和短信验证码登录，新用户自动注册。</p>
      <form class="sms-form" novalidate @submit.prevent="login">
        <van-field v-model="phone" type="tel" name="phone" label="手机号" placeholder="11 位手机号"
          maxlength="11" autocomplete="tel" :error-message="phoneError" label-align="top" />
        <van-button native-type="button" type="primary" plain block class="code-button"
          :disabled="countdown > 0" :loading="sending" loading-text="正在发送…" @click="sendCode">
          {{ countdown > 0 ? countdown + ' 秒后可重新获取' : (sentTo ? '重新获取验证码' : '获取验证码') }}
        </van-button>
        <p v-if="sentTo" class="sent-note" role="status">验证码已发送至 {{ sentTo }}，5 分钟内有效。</p>
        <p v-if="devCode" class="dev-note">开发模式验证码：<strong class="dev-code">{{ devCode }}</strong>（正式环境只通过短信发送）</p>
        <van-field v-model="code" type="digit" name="code" label="验证码" placeholder="6 位数字"
          maxlength="6" autocomplete="one-time-code" :error-message="codeError" label-align="top" />
        <p v-if="error" class="error-text" role="alert">{{ error }}</p>
        <van-button type="primary" block native-type="submit" :loading="busy" class="big-button">登录</van-button>
      </form>
      <details v-if="dev" class="dev-login">
        <summary>开发模式：用测试用户名登录</summary>
        <form @submit.prevent="devLogin">
          <p class="dev-note">输入任意测试用户名即可登录（正式环境不提供）。</p>
          <van-field v-model="name" label="测试用户名" placeholder="例如 zhangsan"
            :error-message="nameError" autocomplete="off" />
          <van-button type="default" block native-type="submit" class="big-button">测试用户名登录</van-button>
        </form>
      </details>
    </section>`,
};
