// Create or edit a product: details, the certificate number (own enterprise's, or one it is an
// authorised dealer of), photos; then submit it for review or delist it.

import { api, errorText, toast, toFen, toYuanText, uploadProductImage } from "/assets/console/merchant/api.js";
import { BASE, go } from "/assets/console/merchant/router.js";
import { STATUS_TAG } from "/assets/console/merchant/pages/products.js";

const { reactive, ref, onMounted } = Vue;

const FIELDS = ["category", "name", "brand", "model_spec", "unit", "description", "certificate_number"];

function leaves(tree, path = []) {
  return tree.flatMap((c) => (c.children && c.children.length
    ? leaves(c.children, [...path, c.name]) : [{ slug: c.slug, name: [...path, c.name].join(" / ") }]));
}

export default {
  props: { id: { type: String, default: null } },
  setup(props) {
    const product = ref(null);
    const categories = ref([]);
    const form = reactive({ category: "", name: "", brand: "", model_spec: "", unit: "件", price: "",
      description: "", certificate_number: "" });
    const error = ref("");
    const busy = ref(false);
    const uploading = ref(false);
    const fileInput = ref(null);

    function fill(p) {
      product.value = p;
      Object.assign(form, { category: p.category.slug, name: p.name, brand: p.brand, model_spec: p.model_spec,
        unit: p.unit, price: toYuanText(p.price_fen), description: p.description,
        certificate_number: p.certificate ? p.certificate.number : "" });
    }
    onMounted(async () => {
      try {
        const tree = await (await fetch("/api/mp/v1/categories")).json();
        categories.value = leaves(tree);
        if (props.id) fill(await api.get(`/merchant/products/${props.id}`));
      } catch (e) {
        error.value = errorText(e);
      }
    });

    async function save() {
      error.value = "";
      const price = toFen(form.price);
      if (!price) { error.value = "请填写正确的价格（元，最多两位小数）"; return; }
      const body = { ...Object.fromEntries(FIELDS.map((f) => [f, form[f]])), price_fen: price };
      body.certificate_number = form.certificate_number.trim() || null;
      busy.value = true;
      try {
        if (product.value) {
          const changes = Object.fromEntries(Object.entries(body).filter(([k, v]) => {
            const before = k === "price_fen" ? product.value.price_fen : k === "category" ? product.value.category.slug
              : k === "certificate_number" ? (product.value.certificate ? product.value.certificate.number : null) : product.value[k];
            return v !== before;
          }));
          fill(await api.patch(`/merchant/products/${product.value.id}`, changes));
          toast("已保存");
        } else {
          const created = await api.post("/merchant/products", body);
          toast("商品已创建，可以上传照片了");
          go(`${BASE}/products/${created.id}`, { replace: true });
        }
      } catch (e) {
        error.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    async function upload(event) {
      const files = [...event.target.files];
      uploading.value = true;
      try {
        for (const file of files) fill(await uploadProductImage(product.value.id, file));
        toast("照片已上传");
      } catch (e) {
        toast(errorText(e), "error");
      } finally {
        uploading.value = false;
        event.target.value = "";
      }
    }
    async function removeImage(index) {
      try {
        fill(await api.del(`/merchant/products/${product.value.id}/images/${index}`));
        toast("照片已删除");
      } catch (e) {
        toast(errorText(e), "error");
      }
    }
    async function act(action, done) {
      try {
        fill(await api.post(`/merchant/products/${product.value.id}/${action}`));
        toast(done);
      } catch (e) {
        toast(errorText(e), "error");
      }
    }
    return { props, product, categories, form, error, busy, uploading, fileInput, save, upload, removeImage, act,
      STATUS_TAG, BASE };
  },
  template: `
    <p><app-link :to="BASE + '/products'">← 返回商品列表</app-link></p>
    <h1>{{ product ? '编辑商品：' + product.name : '新建商品' }}</h1>
    <div v-if="product" class="panel narrow">
      <div class="toolbar" style="margin:0">
        <span>状态：<el-tag :type="STATUS_TAG[product.status]">{{ product.status_label }}</el-tag></span>
        <el-button v-if="['draft','rejected','delisted'].includes(product.status)" type="primary" @click="act('submit', '已提交审核')">提交审核</el-button>
        <el-button v-if="['listed','pending'].includes(product.status)" type="warning" plain
          @click="act('delist', product.status === 'listed' ? '已下架' : '已撤回')">{{ product.status === 'listed' ? '下架' : '撤回审核' }}</el-button>
      </div>
      <p v-if="product.review_note" class="hint">审核意见：{{ product.review_note }}</p>
      <p v-if="product.eligibility" :class="product.eligibility.eligible ? '' : 'muted'" style="margin:8px 0 0">
        {{ product.eligibility.eligible ? '✔ 符合活动条件，可参加促销、用券和补贴' : '✘ 暂不符合活动条件：' + (product.eligibility.message || '') }}</p>
    </div>
    <div class="panel narrow">
      <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
      <el-form label-position="top" @submit.prevent="save">
        <el-form-item label="分类" for="product-category">
          <select id="product-category" class="native" v-model="form.category">
            <option value="" disabled>请选择分类</option>
            <option v-for="c in categories" :key="c.slug" :value="c.slug">{{ c.name }}</option>
          </select>
        </el-form-item>
        <el-form-item label="商品名称"><el-input v-model="form.name" /></el-form-item>
        <el-form-item label="品牌"><el-input v-model="form.brand" /></el-form-item>
        <el-form-item label="规格型号"><el-input v-model="form.model_spec" /></el-form-item>
        <el-form-item label="价格（元）"><el-input v-model="form.price" inputmode="decimal" placeholder="例如 128.00" /></el-form-item>
        <el-form-item label="计价单位"><el-input v-model="form.unit" placeholder="件、平方米、套…" /></el-form-item>
        <el-form-item label="绿色建材认证证书编号">
          <el-input v-model="form.certificate_number" placeholder="例如 LB2026JC0245" />
          <p class="hint">证书须是本店企业的，或本店已获经销授权的企业的，且与商品分类一致。
            经销其他企业的产品，请先<app-link :to="BASE + '/dealer-authorisations'">申请经销授权</app-link>。</p>
        </el-form-item>
        <el-form-item label="商品介绍"><el-input v-model="form.description" type="textarea" :rows="4" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="busy">{{ product ? '保存修改' : '创建商品' }}</el-button>
      </el-form>
    </div>
    <div v-if="product" class="panel narrow">
      <h2 style="margin-top:0">商品照片（最多 9 张）</h2>
      <div class="thumbs">
        <div v-for="(src, i) in product.images" :key="src" class="thumb">
          <img :src="src" :alt="'商品照片 ' + (i + 1)">
          <el-button size="small" type="danger" plain @click="removeImage(i)" :aria-label="'删除第 ' + (i + 1) + ' 张照片'">删除</el-button>
        </div>
      </div>
      <p v-if="!product.images.length" class="muted">还没有照片</p>
      <p>
        <label for="product-photo">上传商品照片（JPEG、PNG 或 WebP，不超过 5 MB）</label><br>
        <input id="product-photo" ref="fileInput" type="file" accept="image/jpeg,image/png,image/webp" multiple
          :disabled="uploading || product.images.length >= 9" @change="upload">
      </p>
      <p v-if="uploading" class="muted" role="status">正在上传…</p>
    </div>
    <p v-else class="muted">创建商品后可以上传照片。</p>`,
};
