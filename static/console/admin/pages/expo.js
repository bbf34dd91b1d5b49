// 展会详情: the expo, edit it, publish a draft, cancel it (every ticket holder is told); live
// attendance, gate staff, merchants' booths, the attendee list (CSV, Excel) and the poster code.

import { api, chinaTime, download, errorText, toast } from "/assets/console/admin/api.js";
import { BASE } from "/assets/console/admin/router.js";
import { EXPO_TAG } from "/assets/console/admin/pages/expos.js";
import { ExpoForm } from "/assets/console/admin/pages/expo-edit.js";
import ExpoAttendance from "/assets/console/admin/pages/expo-attendance.js";
import ExpoStaff from "/assets/console/admin/pages/expo-staff.js";
import ExpoBooths from "/assets/console/admin/pages/expo-booths.js";

const { ref, onMounted, onBeforeUnmount } = Vue;

export default {
  components: { ExpoForm, ExpoAttendance, ExpoStaff, ExpoBooths },
  props: { id: { type: String, default: null } },
  setup(props) {
    const expo = ref(null);
    const error = ref("");
    const editing = ref(false);
    const cancelling = ref(false);
    const cancelReason = ref("");
    const cancelError = ref("");
    const poster = ref("");
    const busy = ref("");

    async function publish() {
      busy.value = "publish";
      try {
        expo.value = await api.post(`/admin/expos/${props.id}/publish`);
        toast("已发布，村民可以在小程序和 H5 报名了");
      } catch (e) {
        toast(errorText(e), "error");
      } finally {
        busy.value = "";
      }
    }
    async function cancel() {
      if (cancelReason.value.trim().length < 2) { cancelError.value = "请填写取消原因，会通知到每位报名村民"; return; }
      try {
        expo.value = await api.post(`/admin/expos/${props.id}/cancel`, { reason: cancelReason.value.trim() });
        cancelling.value = false;
        toast("展会已取消，已通知报名村民");
      } catch (e) {
        cancelError.value = errorText(e);
      }
    }
    function saved(updated) {
      expo.value = updated;
      editing.value = false;
    }
    async function exportList(ext) {
      busy.value = ext;
      try {
        await download(`/admin/expos/${props.id}/attendees.${ext}`, null, `展会${props.id}-报名名单.${ext}`);
      } catch (e) {
        toast(errorText(e), "error");
      } finally {
        busy.value = "";
      }
    }
    async function showPoster() {
      busy.value = "poster";
      try {
        if (poster.value) URL.revokeObjectURL(poster.value);
        poster.value = URL.createObjectURL(await api.blob(`/admin/expos/${props.id}/poster.png`));
      } catch (e) {
        toast(errorText(e), "error");
      } finally {
        busy.value = "";
      }
    }
    async function savePoster() {
      try {
        await download(`/admin/expos/${props.id}/poster.png`, null, `展会${props.id}-海报码.png`);
      } catch (e) {
        toast(errorText(e), "error");
      }
    }
    onMounted(async () => {
      try {
        expo.value = await api.get(`/admin/expos/${props.id}`);
      } catch (e) {
        error.value = e.status === 403 ? "无法查看：该展会不是本辖区主办的" : errorText(e);
      }
    });
    onBeforeUnmount(() => { if (poster.value) URL.revokeObjectURL(poster.value); });
    return { expo, error, editing, cancelling, cancelReason, cancelError, poster, busy, publish, cancel, saved,
      exportList, showPoster, savePoster, chinaTime, EXPO_TAG, BASE };
  },
  template: `
    <p><app-link :to="BASE + '/expos'">← 返回展会列表</app-link></p>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <template v-if="expo">
      <h1>{{ expo.title }}</h1>
      <div class="panel">
        <div class="toolbar">
          <el-tag :type="EXPO_TAG[expo.status] || 'info'" size="large">{{ expo.status_label }}</el-tag>
          <el-button v-if="expo.status === 'draft'" type="primary" :loading="busy === 'publish'" @click="publish">发布展会</el-button>
          <el-button v-if="['draft','published'].includes(expo.status)" @click="editing = !editing">{{ editing ? '收起编辑' : '编辑' }}</el-button>
          <el-button v-if="['draft','published'].includes(expo.status)" type="danger" plain
            @click="cancelling = true; cancelReason = ''; cancelError = ''">取消展会</el-button>
        </div>
        <el-descriptions :column="2" border>
          <el-descriptions-item label="地点">{{ expo.venue }}</el-descriptions-item>
          <el-descriptions-item label="乡镇代码">{{ expo.township_code }}</el-descriptions-item>
          <el-descriptions-item label="展会时间">{{ chinaTime(expo.starts_at) }} 至 {{ chinaTime(expo.ends_at) }}</el-descriptions-item>
          <el-descriptions-item label="报名时间">{{ chinaTime(expo.registration_opens_at) }} 至 {{ chinaTime(expo.registration_closes_at) }}</el-descriptions-item>
          <el-descriptions-item label="报名 / 名额">{{ expo.registered }} / {{ expo.capacity }}</el-descriptions-item>
          <el-descriptions-item label="报名">{{ expo.registration_open ? '报名中' : '未在报名' }}</el-descriptions-item>
        </el-descriptions>
        <p v-if="expo.description" style="white-space:pre-wrap">{{ expo.description }}</p>
      </div>
      <div v-if="editing" class="panel narrow"><h2 style="margin-top:0">编辑展会</h2><expo-form :expo="expo" @saved="saved" /></div>
      <expo-attendance :expo-id="expo.id" :live="expo.status === 'published'" />
      <div class="panel">
        <h2 style="margin-top:0">报名名单与海报</h2>
        <div class="toolbar">
          <el-button :loading="busy === 'csv'" @click="exportList('csv')">导出报名名单 CSV</el-button>
          <el-button :loading="busy === 'xlsx'" @click="exportList('xlsx')">导出报名名单 Excel</el-button>
          <el-button :loading="busy === 'poster'" @click="showPoster">显示海报二维码</el-button>
          <el-button v-if="poster" @click="savePoster">下载海报二维码</el-button>
        </div>
        <p class="hint">名单中的手机号已脱敏。海报二维码扫码直达本展会的报名页，可印在海报、横幅上。</p>
        <img v-if="poster" :src="poster" alt="本展会报名页的二维码" class="poster-code">
      </div>
      <expo-staff :expo-id="expo.id" />
      <expo-booths :expo-id="expo.id" />
    </template>
    <el-dialog v-model="cancelling" title="取消展会" width="min(460px, 94vw)">
      <p>取消后不能恢复，每位已报名的村民都会收到通知。</p>
      <el-alert v-if="cancelError" :title="cancelError" type="error" :closable="false" show-icon role="alert" style="margin-bottom:12px" />
      <el-form label-position="top" @submit.prevent="cancel">
        <el-form-item label="取消原因（会发给报名村民）"><el-input v-model="cancelReason" maxlength="255" /></el-form-item>
        <el-button type="danger" native-type="submit">确认取消展会</el-button>
        <el-button @click="cancelling = false">不取消</el-button>
      </el-form>
    </el-dialog>`,
};
