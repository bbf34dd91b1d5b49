// Checkboxes of the shop's listed products (promotions and coupons cover only those).

import { all, yuan } from "/assets/console/merchant/api.js";

const { ref, onMounted } = Vue;

export default {
  props: { modelValue: { type: Array, default: () => [] }, legend: { type: String, default: "选择商品" },
    prices: { type: Object, default: null } },
  emits: ["update:modelValue"],
  setup(props, { emit }) {
    const products = ref([]);
    const loading = ref(true);
    onMounted(async () => {
      try { products.value = await all("/merchant/products", { status: "listed" }); } catch { /* shown empty */ }
      loading.value = false;
    });
    function toggle(id, on) {
      const next = props.modelValue.filter((x) => x !== id);
      emit("update:modelValue", on ? [...next, id] : next);
    }
    return { products, loading, toggle, yuan };
  },
  template: `
    <fieldset class="picker" style="border:1px solid #dfe5e1;border-radius:6px;padding:8px 12px;margin:0;width:100%;max-height:260px;overflow:auto">
      <legend>{{ legend }}</legend>
      <p v-if="loading" class="muted">正在加载商品…</p>
      <p v-else-if="!products.length" class="muted">没有已上架的商品</p>
      <div v-for="p in products" :key="p.id" style="display:flex;gap:8px;align-items:center;padding:3px 0;flex-wrap:wrap">
        <input type="checkbox" :id="'pick-' + p.id" :checked="modelValue.includes(p.id)" @change="toggle(p.id, $event.target.checked)">
        <label :for="'pick-' + p.id">{{ p.name }}（{{ yuan(p.price_fen) }}）</label>
        <template v-if="prices && modelValue.includes(p.id)">
          <label :for="'price-' + p.id" class="hint" style="margin:0">促销价（元）</label>
          <input :id="'price-' + p.id" class="native" style="width:110px" inputmode="decimal" v-model="prices[p.id]">
        </template>
      </div>
    </fieldset>`,
};
