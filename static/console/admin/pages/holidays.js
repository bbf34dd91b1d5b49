// The working-day calendar complaint deadlines are counted on: the State Council's holidays
// and the weekends worked instead, per year; province officers add or correct days.

import { api, chinaDay, errorText, pagedList, session, toast } from "/assets/console/admin/api.js";

const { ref, reactive, computed, onMounted } = Vue;

const SOURCE = { override: "本系统录入", package: "国务院安排", statutory: "法定假日（当年安排未发布）" };

export default {
  setup() {
    const thisYear = Number(chinaDay().slice(0, 4));
    const years = [thisYear - 1, thisYear, thisYear + 1];
    const year = ref(thisYear);
    const { items, cursor, loading, error, load } = pagedList("/admin/holidays", { params: () => ({ year: year.value, limit: 100 }) });
    const province = computed(() => /^\d{2}0000$/.test(session.user.region_code || ""));
    const form = reactive({ day: "", name: "", is_workday: false });
    const formError = ref("");
    const busy = ref(false);

    async function save() {
      formError.value = "";
      if (!form.day || !form.name.trim()) { formError.value = "请填写日期和名称"; return; }
      busy.value = true;
      try {
        await api.put("/admin/holidays", { day: form.day, name: form.name.trim(), is_workday: form.is_workday });
        toast(`已保存 ${form.day}`);
        if (Number(form.day.slice(0, 4)) !== year.value) year.value = Number(form.day.slice(0, 4));
        Object.assign(form, { day: "", name: "", is_workday: false });
        await load();
      } catch (e) {
        formError.value = errorText(e);
      } finally {
        busy.value = false;
      }
    }
    async function remove(day) {
      try {
        await ElementPlus.ElMessageBox.confirm(`删除 ${day.day}「${day.name}」的录入？删除后按国务院安排计算。`, "删除节假日",
          { confirmButtonText: "删除", cancelButtonText: "取消", type: "warning" });
      } catch { return; }
      try {
        await api.del(`/admin/holidays/${day.day}`);
        toast(`已删除 ${day.day}`);
        await load();
      } catch (e) {
        toast(errorText(e), "error");
      }
    }
    function pick(y) { year.value = y; load(); }
    onMounted(() => load());
    return { years, year, pick, items, cursor, loading, error, load, province, form, formError, busy, save, remove, SOURCE };
  },
  template: `
    <h1>节假日</h1>
    <p class="muted">投诉受理和办结时限按工作日计算：这里是放假日和调休上班日。国务院当年安排自动导入；如有变动，由省级主管部门录入更正。</p>
    <div class="toolbar" role="group" aria-label="选择年份">
      <el-button v-for="y in years" :key="y" :type="y === year ? 'primary' : 'default'" :aria-pressed="y === year ? 'true' : 'false'" @click="pick(y)">{{ y }} 年</el-button>
    </div>
    <div v-if="province" class="panel narrow">
      <h2 style="margin-top:0">录入或更正一天</h2>
      <el-alert v-if="formError" :title="formError" type="error" :closable="false" show-icon style="margin-bottom:14px" role="alert" />
      <form @submit.prevent="save">
        <div class="form-row">
          <div class="field"><label for="holiday-day" class="field-label">日期</label>
            <input id="holiday-day" v-model="form.day" type="date" class="native"></div>
          <div class="field"><label for="holiday-name" class="field-label">名称</label>
            <input id="holiday-name" v-model="form.name" class="native" maxlength="40" placeholder="如：春节、春节调休上班"></div>
        </div>
        <div class="field"><label><input type="checkbox" v-model="form.is_workday"> 这一天上班（调休工作日）</label></div>
        <el-button type="primary" native-type="submit" :loading="busy">保存</el-button>
      </form>
    </div>
    <p v-else class="hint">节假日安排由省级主管部门维护，本账号只能查看。</p>
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon role="alert" />
    <div class="table-wrap">
      <table class="grid">
        <caption class="sr-only">{{ year }} 年节假日</caption>
        <thead><tr><th scope="col">日期</th><th scope="col">名称</th><th scope="col">放假 / 上班</th><th scope="col">来源</th>
          <th v-if="province" scope="col">操作</th></tr></thead>
        <tbody>
          <tr v-for="d in items" :key="d.day" :data-day="d.day">
            <td>{{ d.day }}</td><td>{{ d.name }}</td>
            <td><el-tag :type="d.is_workday ? 'warning' : 'success'" size="small">{{ d.is_workday ? '调休上班' : '放假' }}</el-tag></td>
            <td>{{ SOURCE[d.source] || d.source }}</td>
            <td v-if="province" class="actions"><el-button v-if="d.source === 'override'" size="small" type="danger" plain @click="remove(d)">删除</el-button></td>
          </tr>
          <tr v-if="!loading && !items.length"><td :colspan="province ? 5 : 4" class="empty">{{ year }} 年没有节假日记录</td></tr>
        </tbody>
      </table>
    </div>
    <div v-if="cursor" class="more"><el-button :loading="loading" @click="load(true)">加载更多</el-button></div>`,
};
