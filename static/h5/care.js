// Care mode (关怀模式) for older eyes: larger type, 48 px touch targets, stronger contrast.
// One switch, kept in localStorage and applied as a class on <html> before the app mounts.

const KEY = "lvjian.care";

function stored() {
  try { return localStorage.getItem(KEY) === "1"; } catch { return false; }
}

export const care = Vue.ref(stored());

function apply(on) {
  document.documentElement.classList.toggle("care", on);
}

export function setCare(on) {
  care.value = Boolean(on);
  try { localStorage.setItem(KEY, care.value ? "1" : "0"); } catch { /* private mode: this visit only */ }
  apply(care.value);
}

apply(care.value);

// <care-switch>: the labelled switch for the me page (a row) or the home page (compact).
export const CareSwitch = {
  props: { compact: { type: Boolean, default: false } },
  setup: () => ({ care, setCare }),
  template: `
    <button v-if="compact" type="button" class="care-toggle" :aria-pressed="care ? 'true' : 'false'"
      @click="setCare(!care)">
      <van-icon name="eye-o" aria-hidden="true" /> 关怀模式：{{ care ? '已开启' : '已关闭' }}
    </button>
    <van-cell v-else center title="关怀模式" label="大字体、大按钮，看得更清楚" class="care-cell">
      <template #right-icon>
        <van-switch :model-value="care" aria-label="关怀模式" @update:model-value="setCare" />
        <span class="switch-state" aria-hidden="true">{{ care ? '开' : '关' }}</span>
      </template>
    </van-cell>`,
};
