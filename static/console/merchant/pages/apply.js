// A new owner applies for a shop; an admin of its county decides.

import { api, errorText, loadSession, session, toast } from "/assets/console/merchant/api.js";
import RegionPicker from "/assets/shared/region-picker.js";
import { BASE, go } from "/assets/console/merchant/router.js";

const { reactive, ref } = Vue;

export default {
  components: { RegionPicker },
  setup() {
    const form = reactive({ name: "", region_code: "", address: "", contact_phone: "", description: "" });
    const busy = ref(false);
    const error = ref("");
    async function submit() {
      busy.value = true;
      error.value = "";
      try {
        await api.post("/merchant/shops", { ...form });
        await loadSession();
        toast("开店申请已提交，请等待主管部门审核");
        go(`${BASE}/`);
      } catch (e) {
        error.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    return { form, busy, error, submit, session, BASE };
  },
  template: `
    <div class="login-wrap" style="max-width:640px">
      <h1>申请开店</h1>
      <div v-if="session.shop" class="panel">
        <p>您已有店铺「{{ session.shop.name }}」（{{ session.shop.status_label }}）。</p>
        <app-link :to="BASE + '/'">查看店铺资料</app-link>
      </div>
      <div v-else class="panel">
        <p class="muted">填写店铺资料后提交，由店铺所在区县的主管部门审核；审核通过后即可上架商品、发放优惠券、到店核销。</p>
        <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
        <el-form label-position="top" @submit.prevent="submit">
          <el-form-item label="店铺名称"><el-input v-model="form.name" /></el-form-item>
          <el-form-item label="所在地区（选到区县）"><region-picker v-model="form.region_code" id-prefix="apply-region" /></el-form-item>
          <el-form-item label="详细地址"><el-input v-model="form.address" /></el-form-item>
          <el-form-item label="联系电话（手机或带区号的固定电话）"><el-input v-model="form.contact_phone" type="tel" /></el-form-item>
          <el-form-item label="店铺介绍（选填）"><el-input v-model="form.description" type="textarea" :rows="3" /></el-form-item>
          <el-button type="primary" native-type="submit" :loading="busy">提交开店申请</el-button>
        </el-form>
      </div>
    </div>`,
};
