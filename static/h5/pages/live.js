// One live session: when (China time), where to watch, its products, and for an upcoming one
// 提醒我 (login needed): a reminder ten minutes before it starts.

import { api, chinaTime, token, yuan } from "/assets/shared/api.js";
import LoginBox from "/assets/h5/login-box.js";
import { LIVE_TAGS } from "/assets/h5/pages/zones.js";

export default {
  components: { LoginBox },
  props: { id: { type: String, required: true } },
  setup(props) {
    const data = Vue.ref(null);
    const error = Vue.ref("");
    const reminder = Vue.ref(null);
    const needLogin = Vue.ref(false);
    const failure = Vue.ref("");
    const busy = Vue.ref(false);
    api.get(`/live-sessions/${encodeURIComponent(props.id)}`).then((d) => { data.value = d; })
      .catch((e) => { error.value = e.status === 404 ? "没有找到这场直播" : e.friendly; });
    async function remind() {
      failure.value = "";
      if (!token.get()) { needLogin.value = true; return; }
      busy.value = true;
      try {
        reminder.value = await api.post(`/live-sessions/${encodeURIComponent(props.id)}/reminder`);
        needLogin.value = false;
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else failure.value = e.friendly;
      } finally {
        busy.value = false;
      }
    }
    return { data, error, reminder, needLogin, failure, busy, remind, chinaTime, yuan, LIVE_TAGS };
  },
  template: `
    <van-nav-bar title="直播" left-arrow left-text="返回" @click-left="$back()" />
    <van-empty v-if="error" image="error" :description="error" />
    <van-loading v-else-if="!data" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <template v-else>
      <section class="card live-head">
        <p><van-tag :type="LIVE_TAGS[data.session.state] || 'default'" size="large" class="services-status live-state">{{ data.session.state_label }}</van-tag>
          <span class="muted small"> {{ data.session.host_kind_label }}</span></p>
        <h1 class="product-title">{{ data.session.title }}</h1>
        <dl class="facts">
          <dt>开播时间</dt><dd>{{ chinaTime(data.session.starts_at) }}</dd>
          <dt>结束时间</dt><dd>{{ chinaTime(data.session.ends_at) }}</dd>
          <dt>主播</dt><dd>{{ data.session.host_name }}</dd>
          <dt>观看平台</dt><dd>{{ data.session.platform_label }}<span v-if="data.session.room_id">（搜索：{{ data.session.room_id }}）</span></dd>
        </dl>
        <a v-if="data.session.live_url && data.session.state !== 'ended'" :href="data.session.live_url"
          class="van-button van-button--primary van-button--normal van-button--block big-button" rel="noopener">进入直播间</a>
        <p v-if="data.session.state === 'live'" class="ok-text live-now">正在直播，请打开{{ data.session.platform_label }}观看。</p>
        <template v-if="data.session.state === 'upcoming'">
          <p v-if="reminder" class="ok-text reminder-done" role="status">已设置提醒：{{ chinaTime(reminder.remind_at) }} 通知您</p>
          <van-button v-else block plain type="primary" class="big-button remind-button" :loading="busy"
            @click="remind">提醒我</van-button>
          <p v-if="failure" class="error-text" role="alert">{{ failure }}</p>
        </template>
      </section>
      <login-box v-if="needLogin" title="登录后设置开播提醒" @done="remind" />
      <section v-if="data.products.length" class="card">
        <h2>直播讲的建材</h2>
        <p v-for="p in data.products" :key="p.id"><app-link :to="'/h5/products/' + p.id" class="text-link">{{ p.name }}</app-link>
          <span class="muted small"> · {{ p.brand }}</span><span class="price"> {{ yuan(p.price_fen) }}/{{ p.unit }}</span></p>
      </section>
    </template>`,
};
