// A region picker rooted at the officer's own region: the region itself or any region below it
// (city → county → township), one select per level; v-model is the most precise code chosen.

import { session } from "/assets/console/admin/api.js";

const { ref, onMounted } = Vue;

async function children(parent) {
  const response = await fetch(`/api/mp/v1/regions?parent=${parent}`, { headers: { Accept: "application/json" } });
  return response.ok ? response.json() : [];
}

export default {
  props: { modelValue: { type: String, default: "" } },
  emits: ["update:modelValue"],
  setup(props, { emit }) {
    const root = { code: session.user.region_code, name: session.user.region_name || session.user.region_code };
    const levels = ref([]); // [{ parent, options, chosen }]

    async function open(index, parent) {
      const options = parent.length < 9 ? await children(parent) : [];
      levels.value = levels.value.slice(0, index);
      if (options.length) levels.value.push({ parent, options, chosen: "" });
    }
    async function pick(index, code) {
      levels.value[index].chosen = code;
      levels.value = levels.value.slice(0, index + 1);
      emit("update:modelValue", code || levels.value[index].parent);
      if (code) await open(index + 1, code);
    }
    onMounted(() => {
      emit("update:modelValue", root.code);
      open(0, root.code);
    });
    const label = (i) => (i === 0 ? `${root.name}的下级地区` : "再下一级");
    return { root, levels, pick, label };
  },
  template: `
    <div class="form-row" style="align-items:flex-end">
      <div v-for="(level, i) in levels" :key="level.parent" class="field" style="margin-bottom:0">
        <label :for="'report-region-' + i" class="field-label">{{ label(i) }}</label>
        <select :id="'report-region-' + i" class="native" :value="level.chosen" @change="pick(i, $event.target.value)">
          <option value="">（全部，不再细分）</option>
          <option v-for="r in level.options" :key="r.code" :value="r.code">{{ r.name }}</option>
        </select>
      </div>
      <p v-if="!levels.length" class="hint">统计地区：{{ root.name }}</p>
    </div>`,
};
