// The shop's profile: status and the admin's decision; the owner edits contacts (a rejected
// application is resubmitted by editing it).

import { api, chinaTime, errorText, isOwner, session, toast } from "/assets/console/merchant/api.js";
import RegionPicker from "/assets/shared/region-picker.js";

const { reactive, ref } = Vue;

const FIELDS = ["name", "region_code", "address", "contact_phone", "description"];

export default {
  components: { RegionPicker },
  setup() {
    const shop = session.shop;
    const form = reactive(Object.fromEntries(FIELDS.map((f) => [f, (shop && shop[f]) || ""])));
    const busy = ref(false);
    const error = ref("");
    async function save() {
      busy.value = true;
      error.value = "";
      const changes = Object.fromEntries(FIELDS.filter((f) => form[f] !== (session.shop[f] || ""))
        .map((f) => [f, form[f]]));
      try {
        session.shop = await api.patch("/merchant/shop", changes);
        toast("店铺资料已保存");
      } catch (e) {
        error.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    return { session, form, busy, error, save, owner: isOwner(), chinaTime };
  },
  template: `
    <h1>店铺资料</h1>
    <div class="panel narrow">
      <el-descriptions :column="1" border>
        <el-descriptions-item label="店铺">{{ session.shop.name }}</el-descriptions-item>
        <el-descriptions-item label="审核状态">{{ session.shop.status_label }}</el-descriptions-item>
        <el-descriptions-item v-if="session.shop.decision_note" label="审核意见">{{ session.shop.decision_note }}</el-descriptions-item>
        <el-descriptions-item label="行政区划代码">{{ session.shop.region_code }}</el-descriptions-item>
        <el-descriptions-item label="最近更新">{{ chinaTime(session.shop.updated_at) }}</el-descriptions-item>
      </el-descriptions>
    </div>
    <div v-if="owner" class="panel narrow">
      <h2 style="margin-top:0">修改资料</h2>
      <p class="hint">已通过审核的店铺修改名称或地区后可能需要重新审核。</p>
      <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
      <el-form label-position="top" @submit.prevent="save">
        <el-form-item label="店铺名称"><el-input v-model="form.name" /></el-form-item>
        <el-form-item label="所在地区"><region-picker v-model="form.region_code" id-prefix="shop-region" /></el-form-item>
        <el-form-item label="详细地址"><el-input v-model="form.address" /></el-form-item>
        <el-form-item label="联系电话"><el-input v-model="form.contact_phone" type="tel" /></el-form-item>
        <el-form-item label="店铺介绍"><el-input v-model="form.description" type="textarea" :rows="4" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="busy">保存</el-button>
      </el-form>
    </div>`,
};
