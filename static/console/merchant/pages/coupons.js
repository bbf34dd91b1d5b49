// The shop's coupons: create, pause and resume; how many were issued, claimed and redeemed.

import { api, chinaLocal, chinaTime, daysFromNow, errorText, isOwner, localToIso, pagedList, toast, toFen,
  yuan } from "/assets/console/merchant/api.js";
import ProductPicker from "/assets/console/merchant/pages/product-picker.js";

const { reactive, ref, onMounted } = Vue;

const TAG = { active: "success", paused: "warning", suspended: "danger" };

function blank() {
  return { title: "", kind: "fixed", amount: "", percent: "", cap: "", min_spend: "0", total_quantity: "100",
    per_person_limit: "1", validity_kind: "relative", valid_days: "30", valid_from: chinaLocal(),
    valid_until: daysFromNow(30), claim_starts: chinaLocal(), claim_ends: daysFromNow(30), scope: "shop",
    products: [] };
}

export function couponTerms(t) {
  const off = t.kind === "fixed" ? `减 ${yuan(t.amount_fen)}` : `${(10000 - t.percent_off_bp) / 1000} 折${t.cap_fen ? `（最高减 ${yuan(t.cap_fen)}）` : ""}`;
  return t.min_spend_fen ? `满 ${yuan(t.min_spend_fen)} ${off}` : `无门槛 ${off}`;
}

export default {
  components: { ProductPicker },
  setup() {
    const open = ref(false);
    const form = reactive(blank());
    const formError = ref("");
    const busy = ref(false);

    const { items, cursor, error, load } = pagedList("/merchant/coupons");
    function body() {
      const b = { title: form.title, kind: form.kind, min_spend_fen: toFen(form.min_spend) ?? -1,
        total_quantity: Number(form.total_quantity), per_person_limit: Number(form.per_person_limit),
        validity_kind: form.validity_kind, claim_starts_at: localToIso(form.claim_starts),
        claim_ends_at: localToIso(form.claim_ends), scope: form.scope };
      if (form.kind === "fixed") b.amount_fen = toFen(form.amount);
      else {
        b.percent_off_bp = Math.round(Number(form.percent) * 100) || null;
        if (form.cap) b.cap_fen = toFen(form.cap);
      }
      if (form.validity_kind === "fixed") {
        b.valid_from = localToIso(form.valid_from);
        b.valid_until = localToIso(form.valid_until);
      } else b.valid_days = Number(form.valid_days);
      if (form.scope === "products") b.product_ids = form.products;
      return b;
    }
    async function create() {
      formError.value = "";
      busy.value = true;
      try {
        await api.post("/merchant/coupons", body());
        toast("优惠券已创建，村民现在可以领取");
        open.value = false;
        Object.assign(form, blank());
        await load();
      } catch (e) {
        formError.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    async function setStatus(t, status) {
      try {
        const updated = await api.patch(`/merchant/coupons/${t.id}`, { status });
        items.value = items.value.map((x) => (x.id === updated.id ? updated : x));
        toast(status === "paused" ? "已暂停发放" : "已恢复发放");
      } catch (e) {
        toast(errorText(e), "error");
      }
    }
    onMounted(() => load());
    return { items, cursor, error, open, form, formError, busy, load, create, setStatus, couponTerms, chinaTime,
      TAG, owner: isOwner() };
  },
  template: `
    <h1>优惠券</h1>
    <div class="toolbar"><el-button v-if="owner" type="primary" @click="open = true">新建优惠券</el-button>
      <span class="muted">每笔订单最多用一张券；券可与促销同时使用（按促销价计算）。</span></div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap">
      <table class="grid coupon-table">
        <caption class="sr-only">优惠券列表</caption>
        <thead><tr><th scope="col">名称</th><th scope="col">优惠</th><th scope="col" class="num">发放总量</th>
          <th scope="col" class="num">已领取</th><th scope="col" class="num">剩余</th><th scope="col" class="num">已核销</th>
          <th scope="col">领取时间</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead>
        <tbody>
          <tr v-for="t in items" :key="t.id" :data-coupon="t.id">
            <td>{{ t.title }}<div class="hint">{{ t.expo_only ? '展会到场专享 · ' : '' }}{{ t.scope === 'products' ? '限指定商品' : t.scope === 'category' ? '限分类' : '全店通用' }} · 每人限领 {{ t.per_person_limit }} 张</div></td>
            <td>{{ couponTerms(t) }}</td>
            <td class="num">{{ t.total_quantity }}</td><td class="num">{{ t.claimed_count }}</td><td class="num">{{ t.remaining }}</td>
            <td class="num">{{ t.redeemed_count ?? '—' }}</td>
            <td>{{ chinaTime(t.claim_starts_at) }}<br>至 {{ chinaTime(t.claim_ends_at) }}</td>
            <td><el-tag :type="TAG[t.status]" size="small">{{ t.status_label }}</el-tag></td>
            <td class="actions">
              <el-button v-if="owner && t.status === 'active'" size="small" type="warning" plain @click="setStatus(t, 'paused')">暂停发放</el-button>
              <el-button v-if="owner && t.status === 'paused'" size="small" type="primary" plain @click="setStatus(t, 'active')">恢复发放</el-button>
            </td>
          </tr>
          <tr v-if="!items.length"><td colspan="9" class="empty">还没有优惠券</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button @click="load(true)">加载更多</el-button></div>
    <el-dialog v-model="open" title="新建优惠券" width="min(640px, 96vw)">
      <el-alert v-if="formError" :title="formError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
      <el-form label-position="top" @submit.prevent="create">
        <el-form-item label="优惠券名称"><el-input v-model="form.title" placeholder="例如 满1000减100" /></el-form-item>
        <el-form-item label="类型">
          <el-radio-group v-model="form.kind">
            <el-radio value="fixed">满减券</el-radio><el-radio value="percent">折扣券</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-form-item v-if="form.kind === 'fixed'" label="减免金额（元）"><el-input v-model="form.amount" inputmode="decimal" /></el-form-item>
        <template v-else>
          <el-form-item label="优惠比例（%，例如 5 即 95 折）"><el-input v-model="form.percent" inputmode="decimal" /></el-form-item>
          <el-form-item label="最多减（元，选填）"><el-input v-model="form.cap" inputmode="decimal" /></el-form-item>
        </template>
        <el-form-item label="使用门槛：订单满（元，0 为无门槛）"><el-input v-model="form.min_spend" inputmode="decimal" /></el-form-item>
        <el-form-item label="发放总量（张）"><el-input v-model="form.total_quantity" inputmode="numeric" /></el-form-item>
        <el-form-item label="每人限领（张）"><el-input v-model="form.per_person_limit" inputmode="numeric" /></el-form-item>
        <el-form-item label="有效期">
          <el-radio-group v-model="form.validity_kind">
            <el-radio value="relative">领取后若干天内有效</el-radio><el-radio value="fixed">固定起止时间</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-form-item v-if="form.validity_kind === 'relative'" label="领取后有效天数"><el-input v-model="form.valid_days" inputmode="numeric" /></el-form-item>
        <template v-else>
          <el-form-item label="有效期开始（北京时间）" for="coupon-valid-from"><input id="coupon-valid-from" class="native" type="datetime-local" v-model="form.valid_from"></el-form-item>
          <el-form-item label="有效期结束（北京时间）" for="coupon-valid-until"><input id="coupon-valid-until" class="native" type="datetime-local" v-model="form.valid_until"></el-form-item>
        </template>
        <el-form-item label="领取开始（北京时间）" for="coupon-claim-starts"><input id="coupon-claim-starts" class="native" type="datetime-local" v-model="form.claim_starts"></el-form-item>
        <el-form-item label="领取截止（北京时间）" for="coupon-claim-ends"><input id="coupon-claim-ends" class="native" type="datetime-local" v-model="form.claim_ends"></el-form-item>
        <el-form-item label="适用范围">
          <el-radio-group v-model="form.scope">
            <el-radio value="shop">全店通用</el-radio><el-radio value="products">指定商品</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-form-item v-if="form.scope === 'products'"><product-picker v-model="form.products" legend="适用的商品" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="busy">创建优惠券</el-button>
        <el-button @click="open = false">取消</el-button>
      </el-form>
    </el-dialog>`,
};
