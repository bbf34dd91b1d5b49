// 新建展会: the expo form (also used by the expo page to edit a draft or published expo). Times
// are typed as China wall time (datetime-local) and sent as ISO with +08:00.

import { api, chinaLocal, daysFromNow, errorText, localToIso, toast } from "/assets/console/admin/api.js";
import { BASE, go } from "/assets/console/admin/router.js";
import RegionPicker from "/assets/shared/region-picker.js";

const { reactive, ref } = Vue;

const TIMES = [["registration_opens_at", "报名开始"], ["registration_closes_at", "报名截止"],
  ["starts_at", "展会开始"], ["ends_at", "展会结束"]];

// The expo form: `expo` given = edit it (PATCH, emits "saved" with the answer); none = create.
export const ExpoForm = {
  components: { RegionPicker },
  props: { expo: { type: Object, default: null } },
  emits: ["saved"],
  setup(props, { emit }) {
    const e = props.expo;
    const local = (iso) => (iso ? chinaLocal(new Date(iso)) : "");
    const form = reactive(e
      ? { title: e.title, description: e.description || "", venue: e.venue, capacity: e.capacity,
        ...Object.fromEntries(TIMES.map(([k]) => [k, local(e[k])])) }
      : { title: "", description: "", venue: "", capacity: 200, township_code: "",
        registration_opens_at: chinaLocal(), registration_closes_at: daysFromNow(7).slice(0, 11) + "18:00",
        starts_at: daysFromNow(8).slice(0, 11) + "09:00", ends_at: daysFromNow(8).slice(0, 11) + "17:00" });
    const error = ref("");
    const busy = ref(false);

    async function save() {
      error.value = "";
      if (!e && (form.township_code || "").length !== 9) { error.value = "请选择举办展会的乡镇（街道）"; return; }
      const body = { ...form, capacity: Number(form.capacity) };
      for (const [k] of TIMES) body[k] = localToIso(form[k]);
      busy.value = true;
      try {
        if (e) {
          emit("saved", await api.patch(`/admin/expos/${e.id}`, body));
          toast("已保存");
        } else {
          const created = await api.post("/admin/expos", body);
          toast("展会已创建（草稿），核对后请发布");
          go(`${BASE}/expos/${created.id}`, { replace: true });
        }
      } catch (err) {
        error.value = errorText(err);
      } finally {
        busy.value = false;
      }
    }
    return { form, error, busy, save, TIMES, editing: Boolean(e) };
  },
  template: `
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
    <el-form label-position="top" @submit.prevent="save">
      <el-form-item label="展会名称"><el-input v-model="form.title" maxlength="120" /></el-form-item>
      <div v-if="!editing" class="form-block"><p class="hint" style="margin:0">举办地（选到乡镇、街道）</p>
        <region-picker v-model="form.township_code" id-prefix="expo-region" /></div>
      <el-form-item label="详细地点"><el-input v-model="form.venue" maxlength="200" placeholder="例如 龙湖镇文化广场" /></el-form-item>
      <el-form-item label="名额（人）"><el-input v-model="form.capacity" inputmode="numeric" /></el-form-item>
      <div class="toolbar">
        <div v-for="t in TIMES" :key="t[0]"><label :for="'expo-' + t[0]" class="hint" style="display:block">{{ t[1] }}（北京时间）</label>
          <input :id="'expo-' + t[0]" type="datetime-local" class="native" v-model="form[t[0]]"></div>
      </div>
      <el-form-item label="展会介绍（选填）"><el-input v-model="form.description" type="textarea" :rows="4" /></el-form-item>
      <el-button type="primary" native-type="submit" :loading="busy">{{ editing ? '保存修改' : '创建展会' }}</el-button>
    </el-form>`,
};

export default {
  components: { ExpoForm },
  setup() {
    return { BASE };
  },
  template: `
    <p><app-link :to="BASE + '/expos'">← 返回展会列表</app-link></p>
    <h1>新建展会</h1>
    <div class="panel narrow"><expo-form /></div>`,
};
