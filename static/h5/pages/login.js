// /h5/login?next=/h5/...: phone + SMS code, then on to the page that asked for it.

import { token } from "/assets/shared/api.js";
import { go, route } from "/assets/h5/router.js";
import LoginBox from "/assets/h5/login-box.js";

// Only a storefront page: never another site (an open redirect in a shared link).
function safeNext(next) {
  return next && /^\/h5\//.test(next) && !next.startsWith("//") ? next : "/h5/me";
}

export default {
  components: { LoginBox },
  setup() {
    const next = safeNext(route.query.get("next"));
    const done = () => go(next, { replace: true });
    if (token.get()) Vue.nextTick(done);
    return { done };
  },
  template: `
    <van-nav-bar title="登录" left-arrow left-text="返回" @click-left="$back()" />
    <login-box title="手机号登录" @done="done" />`,
};
