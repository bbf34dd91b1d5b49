// 商品详情: everything a reviewer checks (photos, price, the certificate and whether the shop
// may carry it), then approve / reject a pending product or delist a listed one, with a reason.

import { api, chinaTime, errorText, toast, yuan } from "/assets/console/admin/api.js";
import { BASE } from "/assets/console/admin/router.js";
import { PRODUCT_TAG } from "/assets/console/admin/pages/products.js";

const { ref, onMounted } = Vue;

const ACTIONS = {
  approve: ["审核通过并上架", false, "已通过，商品已上架"],
  reject: ["驳回", true, "已驳回，商家会收到驳回原因"],
  delist: ["下架", true, "已下架"],
};
const ALLOWED = { pending: ["approve", "reject"], listed: ["delist"] };

export default {
  props: { id: { type: String, default: null } },
  setup(props) {
    const product = ref(null);
    const error = ref("");
    const note = ref("");
    const decideError = ref("");
    const busy = ref("");

    async function decide(action) {
      decideError.value = "";
      if (ACTIONS[action][1] && note.value.trim().length < 2) {
        decideError.value = "请填写原因（至少 2 个字），商家会看到";
        return;
      }
      busy.value = action;
      try {
        product.value = await api.post(`/admin/products/${props.id}/decision`,
          { action, note: note.value.trim() || null });
        note.value = "";
        toast(ACTIONS[action][2]);
      } catch (e) {
        decideError.value = errorText(e);
      } finally {
        busy.value = "";
      }
    }
    onMounted(async () => {
      try {
        product.value = await api.get(`/admin/products/${props.id}`);
      } catch (e) {
        error.value = e.status === 403 || e.status === 404
          ? `无法查看该商品：${e.status === 403 ? "它不在您的管辖区域内" : "没有找到这个商品"}。` : errorText(e);
      }
    });
    return { product, error, note, decideError, busy, decide, chinaTime, yuan, ACTIONS, ALLOWED, PRODUCT_TAG, BASE };
  },
  template: `
    <p><app-link :to="BASE + '/products'">← 返回商品审核</app-link></p>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <template v-if="product">
      <h1>商品：{{ product.name }}</h1>
      <div class="panel">
        <el-descriptions :column="2" border>
          <el-descriptions-item label="状态"><el-tag :type="PRODUCT_TAG[product.status] || 'info'">{{ product.status_label }}</el-tag></el-descriptions-item>
          <el-descriptions-item label="店铺">{{ product.shop.name }}（{{ product.shop.status_label }}）</el-descriptions-item>
          <el-descriptions-item label="品牌">{{ product.brand || '—' }}</el-descriptions-item>
          <el-descriptions-item label="规格型号">{{ product.model_spec || '—' }}</el-descriptions-item>
          <el-descriptions-item label="分类">{{ product.category.name }}</el-descriptions-item>
          <el-descriptions-item label="价格">{{ yuan(product.price_fen) }}/{{ product.unit }}</el-descriptions-item>
          <el-descriptions-item label="提交时间">{{ chinaTime(product.created_at) }}</el-descriptions-item>
          <el-descriptions-item label="上架时间">{{ product.listed_at ? chinaTime(product.listed_at) : '—' }}</el-descriptions-item>
          <el-descriptions-item v-if="product.review_note" label="审核意见" :span="2">{{ product.review_note }}</el-descriptions-item>
        </el-descriptions>
        <p style="white-space:pre-wrap">{{ product.description || '（商家未填写商品介绍）' }}</p>
        <div class="thumbs">
          <div v-for="(src, i) in product.images" :key="src" class="thumb"><img :src="src" :alt="'商品照片 ' + (i + 1)"></div>
        </div>
        <p v-if="!product.images.length" class="muted">商家没有上传照片</p>
      </div>
      <div class="panel">
        <h2 style="margin-top:0">绿色建材认证</h2>
        <template v-if="product.certificate">
          <el-descriptions :column="2" border>
            <el-descriptions-item label="证书编号">{{ product.certificate.number }}</el-descriptions-item>
            <el-descriptions-item label="证书状态">{{ product.certificate.status_label }}</el-descriptions-item>
            <el-descriptions-item label="星级">{{ product.certificate.star }} 星</el-descriptions-item>
            <el-descriptions-item label="有效期至">{{ product.certificate.expires_on }}</el-descriptions-item>
            <el-descriptions-item label="认证机构">{{ product.certificate.issuer }}</el-descriptions-item>
            <el-descriptions-item label="认证类别">{{ product.certificate.category ? product.certificate.category.name : '未登记' }}</el-descriptions-item>
            <template v-if="product.certificate_review">
              <el-descriptions-item label="证书持有企业">{{ product.certificate_review.holder.name }}（{{ product.certificate_review.holder.credit_code }}）</el-descriptions-item>
              <el-descriptions-item label="经销授权">{{ product.certificate_review.holder_is_merchant ? '本店即持证企业'
                : product.certificate_review.authorisation ? product.certificate_review.authorisation.status_label : '无' }}</el-descriptions-item>
            </template>
          </el-descriptions>
          <p v-if="product.certificate_review" class="cert-check" :class="product.certificate_review.may_carry ? 'ok' : 'bad'">
            {{ product.certificate_review.may_carry ? '✔ ' : '✘ ' }}{{ product.certificate_review.message }}</p>
        </template>
        <p v-else class="muted">该商品未关联绿色建材认证证书。</p>
        <p v-if="product.certificate_flag_label" class="cert-check bad">⚠ {{ product.certificate_flag_label }}</p>
      </div>
      <div v-if="ALLOWED[product.status]" class="panel narrow">
        <h2 style="margin-top:0">审核</h2>
        <el-alert v-if="decideError" :title="decideError" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
        <el-form label-position="top" @submit.prevent>
          <el-form-item label="审核意见（驳回、下架时必填，商家会看到）"><el-input v-model="note" type="textarea" :rows="3" maxlength="255" /></el-form-item>
          <el-button v-for="a in ALLOWED[product.status]" :key="a" :type="ACTIONS[a][1] ? 'danger' : 'primary'"
            :plain="ACTIONS[a][1]" :loading="busy === a" @click="decide(a)">{{ ACTIONS[a][0] }}</el-button>
        </el-form>
      </div>
      <p class="toolbar">
        <app-link :to="BASE + '/negative-list?product=' + product.id">将该商品列入负面清单…</app-link>
        <app-link :to="BASE + '/local-list?product=' + product.id">将该商品列入地方目录…</app-link>
      </p>
    </template>`,
};
