// 地方目录 (本地清单): products a city or county lists for a period, with the requirement they
// meet; add an entry, remove one (it stays in the history).

import { api, chinaDay, chinaTime, errorText, pagedList, session, toast } from "/assets/console/admin/api.js";
import { route } from "/assets/console/admin/router.js";
import RegionPicker from "/assets/shared/region-picker.js";
import ProductPicker from "/assets/console/admin/pages/products-picker.js";

const { reactive, ref, onMounted } = Vue;

const FILTERS = [["", "全部（含已移除、已过期）"], ["true", "现行有效"], ["false", "已移除或已过期"]];

function nextYear() {
  const d = new Date();
  d.setFullYear(d.getFullYear() + 1);
  return chinaDay(d);
}

export default {
  components: { RegionPicker, ProductPicker },
  setup() {
    const active = ref("true");
    const { items, cursor, loading, error, load } = pagedList("/admin/local-list",
      { params: () => ({ active: active.value }) });
    const own = session.user.region_code || "";
    const form = reactive({ product_id: route.query.get("product") || "", region_code: own.length === 6 && !own.endsWith("0000") ? own : "",
      requirement: "", valid_from: chinaDay(), valid_until: nextYear() });
    const formError = ref("");
    const busy = ref(false);
    const removing = ref(null);

    async function add() {
      formError.value = "";
      if (!form.product_id) { formError.value = "请选择商品"; return; }
      if (!form.region_code) { formError.value = "请选择发布目录的市或县（区）"; return; }
      busy.value = true;
      try {
        await api.post("/admin/local-list", { ...form, product_id: Number(form.product_id), requirement: form.requirement.trim() });
        toast("已列入地方目录");
        form.requirement = "";
        await load();
      } catch (e) {
        formError.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    async function remove() {
      try {
        const updated = await api.del(`/admin/local-list/${removing.value.id}`);
        items.value = items.value.map((e) => (e.id === updated.id ? updated : e));
        toast("已从地方目录移除");
      } catch (e) {
        toast(errorText(e), "error");
      } finally {
        removing.value = null;
      }
    }
    onMounted(() => load());
    return { active, items, cursor, loading, error, load, form, formError, busy, add, removing, remove, chinaTime, FILTERS };
  },
  template: `
    <h1>地方目录</h1>
    <p class="muted">市、县（区）发布的本地绿色建材产品目录。列入目录的商品在村民端会标明“地方目录”。移除后记录仍保留。</p>
    <div class="toolbar">
      <label for="local-active">显示</label>
      <select id="local-active" class="native" style="width:auto" v-model="active" @change="load()">
        <option v-for="f in FILTERS" :key="f[0]" :value="f[0]">{{ f[1] }}</option>
      </select>
    </div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">地方目录</caption>
        <thead><tr><th scope="col">商品</th><th scope="col">发布地区</th><th scope="col">入选要求</th><th scope="col">有效期</th>
          <th scope="col">状态</th><th scope="col">操作</th></tr></thead>
        <tbody>
          <tr v-for="e in items" :key="e.id" :data-entry="e.id">
            <td>{{ e.product ? e.product.name : '商品已删除' }}<div v-if="e.product" class="hint">{{ e.product.shop.name }}</div></td>
            <td>{{ e.region_code }}</td><td>{{ e.requirement }}</td><td>{{ e.valid_from }} 至 {{ e.valid_until }}</td>
            <td><el-tag :type="e.active ? 'success' : 'info'" size="small">{{ e.active ? '有效' : e.removed_at ? '已移除' : '不在有效期' }}</el-tag>
              <div v-if="e.removed_at" class="hint">{{ chinaTime(e.removed_at) }} 移除</div></td>
            <td class="actions"><el-button v-if="!e.removed_at" size="small" type="danger" plain @click="removing = e">移除</el-button></td>
          </tr>
          <tr v-if="!loading && !items.length && !error"><td colspan="6" class="empty">目录中还没有商品</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>
    <div class="panel narrow" style="margin-top:20px">
      <h2 style="margin-top:0">列入地方目录</h2>
      <el-alert v-if="formError" :title="formError" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
      <el-form label-position="top" @submit.prevent="add">
        <div class="form-block"><product-picker v-model="form.product_id" id-prefix="local-product" label="商品" /></div>
        <div class="form-block"><p class="hint" style="margin:0">发布目录的地区（市或县、区）</p>
          <region-picker v-model="form.region_code" id-prefix="local-region" /></div>
        <el-form-item label="入选要求（例如：符合本县农房改造节能要求）"><el-input v-model="form.requirement" maxlength="255" /></el-form-item>
        <div class="toolbar">
          <div><label for="local-from" class="hint" style="display:block">起始日期</label><input id="local-from" type="date" class="native" v-model="form.valid_from"></div>
          <div><label for="local-until" class="hint" style="display:block">截止日期</label><input id="local-until" type="date" class="native" v-model="form.valid_until"></div>
        </div>
        <el-button type="primary" native-type="submit" :loading="busy">列入目录</el-button>
      </el-form>
    </div>
    <el-dialog :model-value="!!removing" @update:model-value="(v) => { if (!v) removing = null }" title="移出地方目录" width="min(440px, 94vw)">
      <p v-if="removing">将“{{ removing.product ? removing.product.name : '' }}”移出 {{ removing.region_code }} 的地方目录？记录会保留。</p>
      <template #footer><el-button @click="removing = null">取消</el-button><el-button type="danger" @click="remove">确认移除</el-button></template>
    </el-dialog>`,
};
