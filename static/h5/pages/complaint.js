// One complaint: its tracking number, status, photos and timeline; once resolved the villager
// rates the handling (which closes it) or, not satisfied, reopens it within 15 days.

import { api, chinaTime, token } from "/assets/shared/api.js";
import { route } from "/assets/h5/router.js";
import LoginBox from "/assets/h5/login-box.js";
import { COMPLAINT_TAGS } from "/assets/h5/pages/complaints.js";

const RATINGS = [
  { value: 1, label: "很不满意" }, { value: 2, label: "不满意" }, { value: 3, label: "一般" },
  { value: 4, label: "满意" }, { value: 5, label: "很满意" },
];
const REOPEN_DAYS = 15; // app/complaints/services.py REOPEN_WITHIN

function chinaDay(iso) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date(iso));
}

export default {
  components: { LoginBox },
  props: { id: { type: String, required: true } },
  setup(props) {
    const complaint = Vue.ref(null);
    const error = Vue.ref("");
    const needLogin = Vue.ref(!token.get());
    const fresh = route.query.get("new") === "1";
    const rating = Vue.reactive({ value: 0, note: "", error: "", busy: false });
    const reopen = Vue.reactive({ open: false, reason: "", error: "", busy: false });
    async function load() {
      needLogin.value = !token.get();
      if (needLogin.value) return;
      try {
        complaint.value = await api.get(`/complaints/${encodeURIComponent(props.id)}`);
      } catch (e) {
        if (e.status === 401) needLogin.value = true;
        else error.value = e.status === 404 ? "没有找到这条投诉" : e.friendly;
      }
    }
    // Reopening is allowed within 15 days (China dates) of the latest resolution.
    const mayReopen = Vue.computed(() => {
      const c = complaint.value;
      if (!c || !["resolved", "closed"].includes(c.status)) return false;
      const resolved = [...c.timeline].reverse().find((e) => e.action === "resolve");
      if (!resolved) return false;
      const days = (Date.parse(chinaDay(new Date().toISOString())) - Date.parse(chinaDay(resolved.at))) / 86400000;
      return days <= REOPEN_DAYS;
    });
    async function rate() {
      rating.error = "";
      if (!rating.value) { rating.error = "请先选择满意程度"; return; }
      rating.busy = true;
      try {
        complaint.value = await api.post(`/complaints/${complaint.value.id}/rating`, {
          rating: rating.value, note: rating.note.trim() || null });
        vant.showToast({ message: "感谢您的评价", type: "success" });
      } catch (e) {
        rating.error = e.friendly;
      } finally {
        rating.busy = false;
      }
    }
    async function doReopen() {
      reopen.error = "";
      if (reopen.reason.trim().length < 2) { reopen.error = "请说明不满意的原因"; return; }
      reopen.busy = true;
      try {
        complaint.value = await api.post(`/complaints/${complaint.value.id}/reopen`, { reason: reopen.reason.trim() });
        reopen.open = false;
        reopen.reason = "";
        vant.showToast({ message: "已重新打开，等待处理", type: "success" });
      } catch (e) {
        reopen.error = e.friendly;
      } finally {
        reopen.busy = false;
      }
    }
    load();
    return { complaint, error, needLogin, fresh, rating, reopen, mayReopen, load, rate, doReopen,
      chinaTime, RATINGS, COMPLAINT_TAGS };
  },
  template: `
    <van-nav-bar title="投诉详情" left-arrow left-text="返回" @click-left="$back()" />
    <login-box v-if="needLogin" @done="load" />
    <van-empty v-else-if="error" image="error" :description="error" />
    <van-loading v-else-if="!complaint" class="page-loading" size="32" vertical>正在加载…</van-loading>
    <article v-else class="complaint-detail">
      <section v-if="fresh" class="card notice ok" role="status">
        <h2><van-icon name="passed" aria-hidden="true" /> 投诉已提交</h2>
        <p>受理编号 <strong class="tracking-no">{{ complaint.tracking_no }}</strong>，请记下此编号，可凭它查询进度。</p>
      </section>
      <section class="card">
        <h1 class="complaint-title">{{ complaint.category_name }}</h1>
        <p><van-tag class="services-status" :type="COMPLAINT_TAGS[complaint.status] || 'default'" size="large">{{ complaint.status_label }}</van-tag>
          <span v-if="complaint.overdue" class="flag-note"> 已超过办理时限</span></p>
        <dl class="facts">
          <dt>受理编号</dt><dd class="tracking">{{ complaint.tracking_no }}</dd>
          <dt>提交日期</dt><dd>{{ complaint.submitted_on }}</dd>
          <template v-if="complaint.status === 'submitted'"><dt>受理期限</dt><dd>{{ complaint.accept_due_on }} 前决定是否受理</dd></template>
          <template v-if="complaint.finish_due_on && !['resolved', 'closed', 'declined'].includes(complaint.status)">
            <dt>办结期限</dt><dd>{{ complaint.finish_due_on }}</dd></template>
          <template v-if="complaint.phone"><dt>联系电话</dt><dd>{{ complaint.phone }}</dd></template>
          <template v-if="complaint.satisfaction"><dt>我的评价</dt><dd>{{ complaint.satisfaction }} 星（{{ RATINGS[complaint.satisfaction - 1].label }}）</dd></template>
        </dl>
        <p class="complaint-desc-full">{{ complaint.description }}</p>
        <ul v-if="complaint.photos.length" class="photo-grid">
          <li v-for="(url, i) in complaint.photos" :key="url" class="photo-item">
            <img :src="url" :alt="'投诉照片 第' + (i + 1) + '张'" loading="lazy">
          </li>
        </ul>
      </section>

      <section class="card">
        <h2>处理进度</h2>
        <van-steps direction="vertical" :active="complaint.timeline.length - 1" active-color="#145c38" class="timeline">
          <van-step v-for="(e, i) in complaint.timeline" :key="i">
            <p class="step-title">{{ e.action_label }} → {{ e.to_status_label }}</p>
            <p class="step-time">{{ chinaTime(e.at) }} · {{ e.by_name }}</p>
            <p v-if="e.note" class="step-note">{{ e.note }}</p>
          </van-step>
        </van-steps>
      </section>

      <section v-if="complaint.status === 'resolved'" class="card rate-box">
        <h2>对处理结果满意吗？</h2>
        <fieldset class="choice-group stars">
          <legend>满意程度（评价后投诉结案）</legend>
          <label v-for="r in RATINGS" :key="r.value" class="choice" :class="{ 'is-checked': rating.value === r.value }">
            <input type="radio" name="rating" :value="r.value" v-model="rating.value" @change="rating.error = ''">
            <span><span aria-hidden="true">{{ "★".repeat(r.value) }}</span> {{ r.value }} 星 · {{ r.label }}</span>
          </label>
        </fieldset>
        <label class="field-label" for="rating-note">补充说明（选填）</label>
        <textarea id="rating-note" v-model="rating.note" class="big-input" rows="3" maxlength="500"></textarea>
        <p v-if="rating.error" class="field-error" role="alert">{{ rating.error }}</p>
        <van-button type="primary" block class="big-button" :loading="rating.busy" @click="rate">提交评价</van-button>
      </section>

      <section v-if="mayReopen" class="card">
        <h2>对结果不满意？</h2>
        <p class="muted">办结后 15 天内可以重新打开，由监管部门继续处理。</p>
        <template v-if="reopen.open">
          <label class="field-label" for="reopen-reason">不满意的原因</label>
          <textarea id="reopen-reason" v-model="reopen.reason" class="big-input" rows="4" maxlength="500"></textarea>
          <p v-if="reopen.error" class="field-error" role="alert">{{ reopen.error }}</p>
          <van-button type="danger" block class="big-button" :loading="reopen.busy" @click="doReopen">确认重新打开</van-button>
        </template>
        <van-button v-else plain type="danger" block class="big-button" @click="reopen.open = true">重新打开投诉</van-button>
      </section>

      <p class="services-tip"><app-link to="/h5/me/complaints" class="text-link">我的全部投诉 ›</app-link></p>
    </article>`,
};
