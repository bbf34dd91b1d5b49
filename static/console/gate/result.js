// The answer to a scan, filling the screen: a colour, a word and who answered (server or
// this phone). One tap anywhere (or Enter) and the gate is ready for the next person.

import { chinaTime } from "/assets/shared/api.js";

// Short words for the big screen; the server's (or bundle's) label is the line below.
export const LABELS = {
  admitted: "准予入场",
  already_admitted: "已入场过",
  wrong_expo: "非本场门票",
  cancelled: "门票已取消",
  revoked: "门票已作废",
  waitlisted: "候补未入选",
  expo_cancelled: "展会已取消",
  not_open: "不在入场时间",
  invalid: "无效票码",
  unchecked: "无法核验",
};

const TONE = { admitted: "ok", already_admitted: "warn" };

export default {
  props: { answer: { type: Object, required: true }, bundleAge: { type: String, default: "" } },
  emits: ["next"],
  setup(props, { emit }) {
    const button = Vue.ref(null);
    const tone = Vue.computed(() => TONE[props.answer.result] || "bad");
    const word = Vue.computed(() => LABELS[props.answer.result] || props.answer.result);
    const mode = Vue.computed(() => ({ online: "在线核验", offline: "离线核验" })[props.answer.mode] || "未核验");
    Vue.onMounted(() => { if (button.value) button.value.focus({ preventScroll: true }); });
    return { button, tone, word, mode, chinaTime, next: () => emit("next") };
  },
  template: `
    <div class="result" :class="'result-' + tone" role="alertdialog" aria-modal="true"
      aria-labelledby="result-word" aria-describedby="result-detail" @click="next">
      <p class="result-mode" :class="'mode-' + answer.mode">{{ mode }}</p>
      <p id="result-word" class="result-word" :data-result="answer.result">{{ word }}</p>
      <div id="result-detail" class="result-detail">
        <p v-if="answer.label && answer.label !== word">{{ answer.label }}</p>
        <p v-if="answer.holder" class="result-holder">{{ answer.holder.nickname }}
          <span v-if="answer.holder.phone"> · {{ answer.holder.phone }}</span></p>
        <p v-if="answer.ticketId" class="result-ticket">票号 {{ answer.ticketId }}</p>
        <p v-if="answer.result === 'already_admitted'" class="result-first">
          首次入场：<span v-if="answer.firstAdmittedAt">{{ chinaTime(answer.firstAdmittedAt) }}</span>
          <span v-else>时间未知</span>
          <span v-if="answer.firstAdmittedBy"> · 由 {{ answer.firstAdmittedBy }} 放行</span></p>
        <p v-if="answer.note" class="result-note">{{ answer.note }}</p>
        <p v-if="answer.mode === 'offline' && bundleAge" class="result-age">按 {{ bundleAge }}更新的离线数据判断</p>
      </div>
      <button ref="button" type="button" class="result-next" @click.stop="next">点击继续扫码</button>
    </div>`,
};
