// Province → city → county (→ township) pickers over the public regions list; v-model is the
// most precise code chosen.

const { ref, onMounted } = Vue;

async function children(parent) {
  const url = parent ? `/api/mp/v1/regions?parent=${parent}` : "/api/mp/v1/regions";
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  return response.ok ? response.json() : [];
}

export default {
  props: { modelValue: { type: String, default: "" }, idPrefix: { type: String, default: "region" } },
  emits: ["update:modelValue"],
  setup(props, { emit }) {
    const LEVELS = [["省", "province"], ["市", "city"], ["区县", "county"], ["乡镇（选填）", "township"]];
    const options = ref([[], [], [], []]);
    const chosen = ref(["", "", "", ""]);

    async function load(level, parent) {
      const list = await children(parent);
      options.value = options.value.map((o, i) => (i === level ? list : i > level ? [] : o));
    }
    async function pick(level, code) {
      chosen.value = chosen.value.map((c, i) => (i === level ? code : i > level ? "" : c));
      const deepest = [...chosen.value].reverse().find(Boolean) || "";
      emit("update:modelValue", deepest);
      if (code && level < 3) await load(level + 1, code);
    }
    onMounted(async () => {
      await load(0, null);
      // Preselect an existing code: 410105 → 410000, 410100, 410105 (9 digits: its township).
      const code = props.modelValue || "";
      if (code.length >= 6) {
        const path = [`${code.slice(0, 2)}0000`, `${code.slice(0, 4)}00`, code.slice(0, 6)];
        if (code.length >= 9) path.push(code.slice(0, 9));
        for (let i = 0; i < path.length; i += 1) {
          if (i > 0 && path[i] === path[i - 1]) continue;
          chosen.value[i] = path[i];
          if (i < 3) await load(i + 1, path[i]);
        }
      }
    });
    return { LEVELS, options, chosen, pick };
  },
  template: `
    <div class="region-picker" style="display:flex;gap:8px;flex-wrap:wrap;width:100%">
      <template v-for="(level, i) in LEVELS" :key="level[1]">
        <div v-if="i === 0 || options[i].length" style="flex:1;min-width:120px">
          <label :for="idPrefix + '-' + level[1]" class="hint" style="display:block;margin:0">{{ level[0] }}</label>
          <select :id="idPrefix + '-' + level[1]" class="native" :value="chosen[i]" @change="pick(i, $event.target.value)">
            <option value="">请选择</option>
            <option v-for="r in options[i]" :key="r.code" :value="r.code">{{ r.name }}</option>
          </select>
        </div>
      </template>
    </div>`,
};
