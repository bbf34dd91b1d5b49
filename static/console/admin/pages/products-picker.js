// Pick a product of the officer's region (for the local list and the negative list): type part
// of its name, shop or number to narrow the list, then choose. v-model is the product id (text).

import { all, errorText } from "/assets/console/admin/api.js";

const { ref, computed, onMounted } = Vue;

export default {
  props: { modelValue: { type: String, default: "" }, idPrefix: { type: String, default: "product-pick" },
    label: { type: String, default: "商品" } },
  emits: ["update:modelValue"],
  setup(props, { emit }) {
    // v-model (not :value) on the <select>, so the choice shows once the options have loaded.
    const value = computed({ get: () => props.modelValue, set: (v) => emit("update:modelValue", v) });
    const products = ref([]);
    const text = ref("");
    const error = ref("");
    const loading = ref(true);
    const shown = computed(() => {
      const t = text.value.trim();
      const list = t ? products.value.filter((p) => `${p.id} ${p.name} ${p.brand} ${p.shop.name}`.includes(t)) : products.value;
      return list.slice(0, 200);
    });
    onMounted(async () => {
      try {
        products.value = await all("/admin/products", { status: "all" });
      } catch (e) {
        error.value = errorText(e);
      } finally {
        loading.value = false;
      }
    });
    return { value, text, shown, error, loading };
  },
  template: `
    <div style="width:100%">
      <label :for="idPrefix + '-filter'" class="hint" style="display:block;margin:0">按名称、店铺或编号筛选</label>
      <input :id="idPrefix + '-filter'" v-model="text" class="native" style="margin-bottom:6px" placeholder="例如 保温板">
      <label :for="idPrefix" class="hint" style="display:block;margin:0">{{ label }}</label>
      <select :id="idPrefix" class="native" v-model="value">
        <option value="">{{ loading ? '正在加载…' : '请选择商品' }}</option>
        <option v-for="p in shown" :key="p.id" :value="String(p.id)">#{{ p.id }} {{ p.name }}（{{ p.shop.name }}，{{ p.status_label }}）</option>
      </select>
      <p v-if="error" class="hint" role="alert" style="color:#8f1e18">{{ error }}</p>
    </div>`,
};
