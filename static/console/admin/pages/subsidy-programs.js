// Subsidy programmes of the officer's region: the list with budget figures, a new programme,
// and a top-up of a programme's budget.

import { api, errorText, pagedList, session, toast, toFen, yuan } from "/assets/console/admin/api.js";
import { BASE } from "/assets/console/admin/router.js";
import RegionPicker from "/assets/shared/region-picker.js";

const { ref, reactive, onMounted } = Vue;

export const rateText = (bp) => `${(bp / 100).toFixed(bp % 100 ? 2 : 0)}%`;

// The category tree (public), flattened to "parent / child" options.
async function categoryOptions() {
  const response = await fetch("/api/mp/v1/categories", { headers: { Accept: "application/json" } });
  const tree = response.ok ? await response.json() : [];
  const options = [];
  for (const top of tree) {
    options.push({ value: top.slug, label: top.name });
    for (const child of top.children || []) options.push({ value: child.slug, label: `${top.name} / ${child.name}` });
  }
  return options;
}

const blank = () => ({ title: "", region_code: session.user.region_code, categories: [], rate: "15",
  cap_item: "2000", cap_person: "5000", budget: "", starts_on: "", ends_on: "" });

export default {
  components: { RegionPicker },
  setup() {
    const { items, cursor, loading, error, load } = pagedList("/admin/subsidy-programs");
    const creating = ref(false);
    const form = reactive(blank());
    const categories = ref([]);
    const formError = ref("");
    const busy = ref(false);
    const topping = ref(null);
    const topUp = reactive({ amount: "", note: "" });

    function openCreate() {
      Object.assign(form, blank());
      formError.value = "";
      creating.value = true;
      if (!categories.value.length) categoryOptions().then((list) => { categories.value = list; });
    }
    async function create() {
      formError.value = "";
      const rate = Number(form.rate);
      const fen = { cap_per_item_fen: toFen(form.cap_item), cap_per_person_fen: toFen(form.cap_person),
        budget_fen: toFen(form.budget) };
      if (!form.title.trim()) { formError.value = "请填写项目名称"; return; }
      if (!form.categories.length) { formError.value = "请至少选择一个补贴类别"; return; }
      if (!(rate > 0 && rate <= 100)) { formError.value = "补贴比例应在 0 到 100 之间"; return; }
      if (Object.values(fen).some((v) => !v)) { formError.value = "请按“元”填写金额，如 2000 或 2000.50"; return; }
      if (!form.starts_on || !form.ends_on) { formError.value = "请填写开始和结束日期"; return; }
      busy.value = true;
      try {
        const program = await api.post("/admin/subsidy-programs", {
          title: form.title.trim(), region_code: form.region_code, category_ids: form.categories,
          rate_bp: Math.round(rate * 100), ...fen, starts_on: form.starts_on, ends_on: form.ends_on,
        });
        items.value = [program, ...items.value];
        creating.value = false;
        toast("补贴项目已创建");
      } catch (e) {
        formError.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    function openTopUp(program) {
      Object.assign(topUp, { amount: "", note: "" });
      formError.value = "";
      topping.value = program;
    }
    async function saveTopUp() {
      formError.value = "";
      const amount = toFen(topUp.amount);
      if (!amount) { formError.value = "请按“元”填写追加金额"; return; }
      busy.value = true;
      try {
        const updated = await api.post(`/admin/subsidy-programs/${topping.value.id}/top-ups`,
          { amount_fen: amount, note: topUp.note || null });
        items.value = items.value.map((p) => (p.id === updated.id ? updated : p));
        topping.value = null;
        toast(`已追加预算 ${yuan(amount)}`);
      } catch (e) {
        formError.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    onMounted(() => load());
    return { items, cursor, loading, error, load, creating, form, categories, formError, busy, openCreate, create,
      topping, topUp, openTopUp, saveTopUp, yuan, rateText, BASE };
  },
  template: `
    <h1>补贴项目</h1>
    <div class="toolbar">
      <el-button type="primary" @click="openCreate">新建补贴项目</el-button>
      <span class="muted">本辖区及下级地区的财政补贴项目；预算按申请先到先得预留，不会超支。</span>
    </div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap" tabindex="0" role="region" aria-label="补贴项目列表（可左右滚动）">
      <table class="grid">
        <caption class="sr-only">补贴项目列表</caption>
        <thead><tr><th scope="col">项目名称</th><th scope="col">地区代码</th><th scope="col">补贴比例</th>
          <th scope="col" class="num">单件上限</th><th scope="col" class="num">每人上限</th><th scope="col" class="num">预算</th>
          <th scope="col" class="num">已占用</th><th scope="col" class="num">剩余</th><th scope="col">申请期间</th>
          <th scope="col">状态</th><th scope="col">操作</th></tr></thead>
        <tbody>
          <tr v-for="p in items" :key="p.id" :data-program="p.id">
            <td><app-link :to="BASE + '/subsidy-programs/' + p.id">{{ p.title }}</app-link></td>
            <td>{{ p.region_code }}</td><td>{{ rateText(p.rate_bp) }}</td>
            <td class="num">{{ yuan(p.cap_per_item_fen) }}</td><td class="num">{{ yuan(p.cap_per_person_fen) }}</td>
            <td class="num">{{ yuan(p.budget_fen) }}</td><td class="num">{{ yuan(p.committed_fen) }}</td>
            <td class="num">{{ yuan(p.remaining_fen) }}</td><td>{{ p.starts_on }} 至 {{ p.ends_on }}</td>
            <td><el-tag :type="p.status === 'open' ? 'success' : 'info'" size="small">{{ p.status_label }}</el-tag></td>
            <td class="actions"><el-button size="small" @click="openTopUp(p)">追加预算</el-button></td>
          </tr>
          <tr v-if="!loading && !items.length"><td colspan="11" class="empty">还没有补贴项目</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>

    <el-dialog v-model="creating" title="新建补贴项目" width="min(640px, 96vw)">
      <el-alert v-if="formError" :title="formError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
      <el-form label-position="top" @submit.prevent="create">
        <el-form-item label="项目名称"><el-input v-model="form.title" maxlength="120" /></el-form-item>
        <fieldset class="plain"><legend>项目所属地区（本辖区或下级地区）</legend>
          <region-picker v-model="form.region_code" id-prefix="program-region" /></fieldset>
        <el-form-item label="补贴类别（含下级类别）">
          <el-select v-model="form.categories" multiple filterable placeholder="请选择" style="width:100%" aria-label="补贴类别">
            <el-option v-for="c in categories" :key="c.value" :value="c.value" :label="c.label" />
          </el-select>
        </el-form-item>
        <div class="form-row">
          <el-form-item label="补贴比例（%）"><el-input v-model="form.rate" inputmode="decimal" /></el-form-item>
          <el-form-item label="单件上限（元）"><el-input v-model="form.cap_item" inputmode="decimal" /></el-form-item>
          <el-form-item label="每人上限（元）"><el-input v-model="form.cap_person" inputmode="decimal" /></el-form-item>
        </div>
        <el-form-item label="预算总额（元）"><el-input v-model="form.budget" inputmode="decimal" /></el-form-item>
        <div class="form-row">
          <div class="field"><label for="program-starts" class="field-label">开始日期</label>
            <input id="program-starts" v-model="form.starts_on" type="date" class="native"></div>
          <div class="field"><label for="program-ends" class="field-label">结束日期</label>
            <input id="program-ends" v-model="form.ends_on" type="date" class="native"></div>
        </div>
        <el-button type="primary" native-type="submit" :loading="busy">创建项目</el-button>
        <el-button @click="creating = false">取消</el-button>
      </el-form>
    </el-dialog>

    <el-dialog :model-value="!!topping" @update:model-value="(v) => { if (!v) topping = null }" title="追加预算" width="min(460px, 94vw)">
      <p v-if="topping">为「{{ topping.title }}」追加预算（当前预算 {{ yuan(topping.budget_fen) }}，剩余 {{ yuan(topping.remaining_fen) }}）。</p>
      <el-alert v-if="formError" :title="formError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
      <el-form label-position="top" @submit.prevent="saveTopUp">
        <el-form-item label="追加金额（元）"><el-input v-model="topUp.amount" inputmode="decimal" /></el-form-item>
        <el-form-item label="说明（选填，如资金文号）"><el-input v-model="topUp.note" maxlength="255" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="busy">确认追加</el-button>
        <el-button @click="topping = null">取消</el-button>
      </el-form>
    </el-dialog>`,
};
