// Redemption history, page by page (cursor), with CSV and Excel exports and reversal within
// 30 minutes (the server holds the window; the button only shows while it may work).

import { api, chinaTime, errorText, isOwner, pagedList, toast, yuan } from "/assets/console/merchant/api.js";
import { chinaDay, saveFile } from "/assets/shared/console.js";

const { ref, onMounted } = Vue;

const WINDOW_MS = 30 * 60 * 1000;

export default {
  setup() {
    const exporting = ref("");
    const reversing = ref(null);
    const reason = ref("收银操作失误");
    const reverseError = ref("");

    const { items, cursor, loading, error, load } = pagedList("/merchant/redemptions");
    async function download(ext) {
      exporting.value = ext;
      try {
        const blob = await api.blob(`/merchant/redemptions.${ext}`);
        saveFile(blob, `核销记录-${chinaDay()}.${ext}`);
      } catch (e) {
        toast(errorText(e), "error");
      } finally {
        exporting.value = "";
      }
    }
    const reversible = (r) => r.status === "redeemed" && Date.now() - new Date(r.created_at).getTime() < WINDOW_MS;
    async function reverse() {
      reverseError.value = "";
      try {
        const updated = await api.post(`/merchant/redemptions/${reversing.value.id}/reverse`, { reason: reason.value });
        items.value = items.value.map((r) => (r.id === updated.id ? updated : r));
        reversing.value = null;
        toast("已撤销，优惠券已退回给顾客");
      } catch (e) {
        reverseError.value = errorText(e);
      }
    }
    onMounted(() => load());
    return { items, cursor, loading, error, exporting, reversing, reason, reverseError, load, download, reversible,
      reverse, yuan, chinaTime, owner: isOwner() };
  },
  template: `
    <h1>核销记录</h1>
    <div class="toolbar">
      <el-button :loading="exporting === 'csv'" @click="download('csv')">导出 CSV</el-button>
      <el-button :loading="exporting === 'xlsx'" @click="download('xlsx')">导出 Excel</el-button>
      <span class="muted">导出全部核销记录（含已撤销的）。</span>
    </div>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap">
      <table class="grid redemption-table">
        <caption class="sr-only">核销记录</caption>
        <thead><tr><th scope="col">编号</th><th scope="col">核销时间</th><th scope="col">优惠券</th><th scope="col">商品</th>
          <th scope="col" class="num">订单金额</th><th scope="col" class="num">优惠</th><th scope="col" class="num">实付</th>
          <th scope="col">状态</th><th scope="col">操作</th></tr></thead>
        <tbody>
          <tr v-for="r in items" :key="r.id" :data-redemption="r.id">
            <td>{{ r.id }}</td><td>{{ chinaTime(r.created_at) }}</td><td>券 #{{ r.coupon_id }}</td>
            <td>{{ r.product_id ? '商品 #' + r.product_id : '—' }}</td>
            <td class="num">{{ yuan(r.order_amount_fen) }}</td><td class="num">{{ yuan(r.discount_fen) }}</td>
            <td class="num">{{ yuan(r.paid_fen) }}</td>
            <td><el-tag :type="r.status === 'reversed' ? 'info' : 'success'" size="small">{{ r.status_label }}</el-tag>
              <div v-if="r.reverse_reason" class="hint">{{ r.reverse_reason }}</div></td>
            <td class="actions"><el-button v-if="owner && reversible(r)" size="small" type="warning" plain
              @click="reversing = r">撤销</el-button></td>
          </tr>
          <tr v-if="!loading && !items.length"><td colspan="9" class="empty">还没有核销记录</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>
    <el-dialog :model-value="!!reversing" @update:model-value="(v) => { if (!v) reversing = null }" title="撤销核销" width="min(440px, 94vw)">
      <p v-if="reversing">撤销第 {{ reversing.id }} 笔核销（实付 {{ yuan(reversing.paid_fen) }}）？优惠券会退回给顾客。</p>
      <el-alert v-if="reverseError" :title="reverseError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
      <el-form label-position="top" @submit.prevent="reverse">
        <el-form-item label="撤销原因"><el-input v-model="reason" /></el-form-item>
        <el-button type="warning" native-type="submit">确认撤销</el-button>
        <el-button @click="reversing = null">取消</el-button>
      </el-form>
    </el-dialog>`,
};
