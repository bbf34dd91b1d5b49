// One expo's gate: scan (camera, scanner gun or typed), answer online within 1.5 s or else
// offline from the bundle, queue offline scans and upload them when the network returns.

import { chinaTime } from "/assets/shared/api.js";
import { listenWedge, startCamera } from "/assets/shared/scanner.js";
import * as store from "/assets/console/gate/store.js";
import { attendance, checkinOnline, deviceId, network, newNonce, refreshBundle, uploadQueue }
  from "/assets/console/gate/sync.js";
import { engine as cryptoEngine, judgeOffline, readClaim } from "/assets/console/gate/verify.js";
import { ago, go, session } from "/assets/console/gate/nav.js";
import { signal } from "/assets/console/gate/feedback.js";
import ResultPanel, { LABELS } from "/assets/console/gate/result.js";

const TICK_MS = 10_000; // counts and the queue, when the network is there
const BUNDLE_EVERY_MS = 60_000; // the bundle's delta
const STALE_BUNDLE_MS = 30 * 60_000;

// What the tests (and a curious developer) can read: scan→answer times, engines used.
const probe = (window.__gate = window.__gate || { timings: [], camera: "", crypto: "" });

export default {
  components: { ResultPanel },
  props: { id: { type: String, required: true } },
  setup(props) {
    const expoId = Number(props.id);
    const bundle = Vue.shallowRef(null);
    const video = Vue.ref(null);
    const typedInput = Vue.ref(null);
    // The last counts, kept so that a reload with no network still shows them (with their age).
    const COUNTS_KEY = `lvjian.gate.counts.${expoId}`;
    const saved = JSON.parse(localStorage.getItem(COUNTS_KEY) || "null");
    const state = Vue.reactive({
      loading: true, error: "", now: Date.now(), counts: saved && saved.counts,
      countsAt: (saved && saved.at) || 0,
      answer: null, checking: false, typed: "", updating: false,
      cameraOn: false, cameraError: "", cameraEngine: "",
      recent: [], pending: 0, duplicates: 0, uploadError: "",
    });
    let camera = null;
    let chain = Promise.resolve();
    let timers = [];
    let lastBundleAt = 0;

    const expo = Vue.computed(() => bundle.value && bundle.value.expo);
    const bundleAge = Vue.computed(() => bundle.value ? ago(bundle.value.refreshedAt, state.now) : "");
    const bundleStale = Vue.computed(() => bundle.value
      && state.now - bundle.value.refreshedAt > STALE_BUNDLE_MS);
    const expected = Vue.computed(() => state.counts
      ? Math.max(0, state.counts.registered - state.counts.admitted) : null);

    async function loadRecent() {
      const scans = await store.scansOf(expoId, 30);
      const pending = await store.pendingScans();
      state.pending = pending.length;
      const offline = scans.map((s) => ({ key: s.nonce, at: s.scanned_at, mode: "offline",
        result: s.result, state: s.state, server: s.server || null, error: s.error || "" }));
      const online = state.recent.filter((r) => r.mode === "online");
      state.recent = [...online, ...offline].sort((a, b) => (a.at < b.at ? 1 : -1)).slice(0, 30);
      state.duplicates = state.recent.filter(isDuplicate).length;
    }

    function isDuplicate(entry) {
      // This device let someone in whom another gate (or an earlier scan) had admitted; the
      // server also marks its own refusals of a second scan as duplicates, which are fine.
      return entry.mode === "offline" && entry.server && entry.result === "admitted"
        && (entry.server.duplicate || entry.server.result !== "admitted");
    }

    async function syncNow() {
      if (!navigator.onLine) return;
      try {
        if ((await store.pendingScans()).length) {
          await uploadQueue();
          state.uploadError = "";
        }
      } catch (error) {
        state.uploadError = error.status === 401 ? "登录已失效，请重新登录后上传" : "";
      }
      await loadRecent();
      await refreshCounts();
      if (bundle.value && Date.now() - lastBundleAt > BUNDLE_EVERY_MS) {
        lastBundleAt = Date.now();
        try { bundle.value = await refreshBundle(expoId, bundle.value); } catch { /* keep ours */ }
      }
    }

    async function load() {
      state.loading = true;
      try {
        bundle.value = await store.loadBundle(expoId);
      } catch {
        state.error = "本机存储不可用，无法离线验票";
      }
      if (!bundle.value || navigator.onLine) {
        try {
          bundle.value = await refreshBundle(expoId, bundle.value);
          lastBundleAt = Date.now();
        } catch (error) {
          if (!bundle.value) {
            state.error = error.code === "network" ? "网络不通，本机还没有这场展会的离线数据"
              : error.friendly;
          }
        }
      }
      state.loading = false;
      await loadRecent();
      syncNow();
    }

    // ---- one scan --------------------------------------------------------------------

    function handle(code, meta = {}) {
      const started = meta.at || performance.now();
      chain = chain.then(() => decide(code, started, meta.source || "typed")).catch((error) => {
        console.error(error);
        state.checking = false;
      });
      return chain;
    }

    async function decide(code, started, source) {
      if (camera) camera.pause();
      state.checking = true;
      const scan = { nonce: newNonce(), expoId, code: code.slice(0, 300),
        scanned_at: new Date().toISOString(), device_id: deviceId(), created: Date.now(), source };
      const asked = performance.now();
      const online = await checkinOnline(expoId, scan);
      const waited = Math.round(performance.now() - asked);
      let answer;
      if (online) {
        answer = { mode: "online", result: online.result, label: online.result_label,
          ticketId: online.ticket && online.ticket.id,
          holder: online.ticket && online.ticket.holder, firstAdmittedAt: online.first_admitted_at,
          firstAdmittedBy: online.first_admitted_by };
        const ticketId = online.ticket && online.ticket.id;
        if (ticketId && online.result === "admitted") {
          store.rememberAdmission(expoId, ticketId, scan.scanned_at, staffName()).catch(() => {});
        } else if (ticketId && online.result === "already_admitted" && online.first_admitted_at) {
          store.rememberAdmission(expoId, ticketId, online.first_admitted_at,
            online.first_admitted_by || "").catch(() => {});
        }
        state.recent.unshift({ key: scan.nonce, at: scan.scanned_at, mode: "online",
          result: online.result });
      } else if (bundle.value) {
        const claim = readClaim(scan.code);
        const earlier = claim && claim.expoId === expoId
          ? await store.earlierAdmission(expoId, claim.ticketId) : null;
        const verdict = await judgeOffline(bundle.value, scan.code, { earlier });
        probe.crypto = cryptoEngine.name || probe.crypto;
        const admission = verdict.result === "admitted"
          ? { expoId, ticketId: verdict.ticketId, at: scan.scanned_at, by: `本机（${staffName()}）` } : null;
        // On disk before the answer shows: a closed tab never loses an admitted person.
        await store.queueScan({ ...scan, mode: "offline", result: verdict.result,
          ticketId: verdict.ticketId || null }, admission);
        answer = { mode: "offline", result: verdict.result, label: bundleLabel(verdict.result),
          firstAdmittedAt: verdict.firstAdmittedAt, firstAdmittedBy: verdict.firstAdmittedBy,
          note: verdict.note, ticketId: verdict.ticketId };
      } else {
        answer = { mode: "none", result: "unchecked", label: "网络不通，本机也没有离线数据" };
      }
      state.checking = false;
      state.answer = answer;
      signal(answer.result === "admitted" ? "ok" : answer.result === "already_admitted" ? "warn" : "bad");
      await Vue.nextTick();
      const ms = Math.round(performance.now() - started);
      probe.timings.push({ mode: answer.mode, result: answer.result, ms, waited, source });
      answer.ms = ms;
      if (answer.mode === "offline") loadRecent();
      else if (online) refreshCountsSoon();
    }

    // By hand too, e.g. before walking to a gate with no signal.
    async function updateBundle() {
      state.updating = true;
      try {
        bundle.value = await refreshBundle(expoId, bundle.value);
        lastBundleAt = Date.now();
        state.error = "";
      } catch (error) {
        ElementPlus.ElMessage({ type: "warning", message: error.code === "network"
          ? "网络不通，离线数据没有更新" : error.friendly });
      } finally {
        state.updating = false;
        state.now = Date.now();
      }
    }

    function bundleLabel(result) {
      const labels = bundle.value && bundle.value.labels && bundle.value.labels.results;
      return (labels && labels[result]) || LABELS[result] || result;
    }

    function staffName() {
      return (session.user && (session.user.nickname || session.user.username)) || "本机";
    }

    async function refreshCounts() {
      try {
        state.counts = await attendance(expoId);
        state.countsAt = Date.now();
        localStorage.setItem(COUNTS_KEY, JSON.stringify({ counts: state.counts, at: state.countsAt }));
      } catch { /* shown with the time of the last counts */ }
    }

    let countsTimer = null;
    function refreshCountsSoon() {
      clearTimeout(countsTimer);
      countsTimer = setTimeout(refreshCounts, 400);
    }

    function next() {
      state.answer = null;
      if (camera) camera.resume();
      if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    }

    function submitTyped() {
      const code = state.typed.trim();
      if (!code) return;
      state.typed = "";
      handle(code, { source: "typed", at: performance.now() });
    }

    // ---- camera ----------------------------------------------------------------------

    async function toggleCamera() {
      if (camera) {
        camera.stop();
        camera = null;
        state.cameraOn = false;
        return;
      }
      state.cameraError = "";
      state.cameraOn = true;
      await Vue.nextTick();
      try {
        camera = await startCamera(video.value, (text, meta) => handle(text, meta));
        state.cameraEngine = camera.engine;
        probe.camera = camera.engine;
        if (state.answer) camera.pause();
      } catch (error) {
        state.cameraOn = false;
        state.cameraError = error.friendly || "摄像头打开失败";
      }
    }

    // ---- life cycle ------------------------------------------------------------------

    let stopWedge = null;
    const onOnline = () => syncNow();
    Vue.onMounted(() => {
      load();
      stopWedge = listenWedge((text, meta) => handle(text, meta));
      window.addEventListener("online", onOnline);
      timers.push(setInterval(() => { state.now = Date.now(); }, 5000));
      timers.push(setInterval(syncNow, TICK_MS));
    });
    Vue.onBeforeUnmount(() => {
      if (stopWedge) stopWedge();
      if (camera) camera.stop();
      window.removeEventListener("online", onOnline);
      timers.forEach(clearInterval);
      clearTimeout(countsTimer);
    });

    const resultLabel = (r) => LABELS[r] || r;
    return { state, bundle, expo, bundleAge, bundleStale, expected, video, typedInput, network,
      handle, next, submitTyped, toggleCamera, syncNow, updateBundle, chinaTime, ago, isDuplicate, resultLabel,
      back: () => go("/console/gate/"), login: () => go("/console/gate/login") };
  },
  template: `
    <section class="gate" aria-labelledby="gate-title">
      <div class="gate-head">
        <el-button size="large" @click="back" aria-label="返回展会列表">‹ 展会</el-button>
        <h1 id="gate-title" class="gate-title">{{ expo ? expo.title : '展会验票' }}</h1>
      </div>

      <div class="bundle-bar" :class="{ stale: bundleStale, none: !bundle }">
        <p class="bundle-age" aria-live="polite">
          <template v-if="bundle">离线数据 {{ bundleAge }}更新 · {{ bundle.tickets.size }} 张票
            <template v-if="bundle.refused.size"> · {{ bundle.refused.size }} 张作废/取消</template>
          </template>
          <template v-else-if="state.loading">正在下载离线数据…</template>
          <template v-else>本机没有离线数据</template>
        </p>
        <el-button size="small" :loading="state.updating" @click="updateBundle">更新离线数据</el-button>
      </div>
      <el-alert v-if="state.error" :title="state.error" type="error" show-icon :closable="false" />
      <el-alert v-if="network.needsLogin || state.uploadError" type="warning" show-icon :closable="false"
        :title="state.uploadError || '登录已失效：扫码仍可离线核验，重新登录后才能上传'">
        <el-button size="small" @click="login">重新登录</el-button>
      </el-alert>

      <dl class="counts" aria-label="入场人数">
        <div><dt>已报名</dt><dd>{{ state.counts ? state.counts.registered : '—' }}</dd></div>
        <div><dt>已入场</dt><dd class="count-admitted">{{ state.counts ? state.counts.admitted : '—' }}</dd></div>
        <div><dt>待入场</dt><dd>{{ expected === null ? '—' : expected }}</dd></div>
        <div><dt>候补</dt><dd>{{ state.counts ? state.counts.waitlisted : '—' }}</dd></div>
      </dl>
      <p class="counts-age">
        <span class="net" :class="network.reachable ? 'net-on' : 'net-off'">
          {{ network.reachable ? '网络畅通' : '网络不通' }}</span>
        人数{{ state.countsAt ? ago(state.countsAt, state.now) + '更新' : '尚未取得' }}
      </p>

      <div class="scan-area">
        <div v-show="state.cameraOn" class="camera">
          <video ref="video" class="camera-video" muted playsinline aria-label="摄像头画面"></video>
          <div class="camera-frame" aria-hidden="true"></div>
        </div>
        <el-button :type="state.cameraOn ? 'default' : 'primary'" size="large" class="wide camera-toggle"
          @click="toggleCamera">{{ state.cameraOn ? '关闭摄像头' : '摄像头扫码' }}</el-button>
        <p v-if="state.cameraError" class="form-error" role="alert">{{ state.cameraError }}</p>
        <p class="hint">扫码枪：直接扫，无需点输入框</p>
        <form class="typed" @submit.prevent="submitTyped">
          <label for="typed-code" class="typed-label">手动输入票码</label>
          <div class="typed-row">
            <input id="typed-code" ref="typedInput" v-model="state.typed" class="typed-input"
              autocomplete="off" autocapitalize="characters" spellcheck="false" enterkeyhint="done" />
            <el-button type="primary" size="large" native-type="submit">核验</el-button>
          </div>
        </form>
        <p v-if="state.checking" class="checking" role="status">正在核验…</p>
      </div>

      <section class="queue" aria-labelledby="queue-title">
        <h2 id="queue-title" class="section-title">核验记录
          <span v-if="state.pending" class="tag tag-pending">待上传 {{ state.pending }} 条</span>
          <span v-else class="tag tag-data">离线记录已全部上传</span>
        </h2>
        <el-alert v-if="state.duplicates" type="error" show-icon :closable="false"
          :title="'有 ' + state.duplicates + ' 人离线放行时已在其他入口入场（重复入场）'" />
        <el-button v-if="state.pending" size="large" @click="syncNow">立即上传</el-button>
        <ol class="recent">
          <li v-for="r in state.recent" :key="r.key" class="recent-item"
            :class="{ dup: isDuplicate(r) }">
            <span class="recent-time">{{ chinaTime(r.at).slice(-5) }}</span>
            <span class="recent-result" :class="'r-' + r.result">{{ resultLabel(r.result) }}</span>
            <span class="mode">{{ r.mode === 'online' ? '在线核验' : '离线核验' }}</span>
            <span v-if="r.mode === 'offline' && r.state === 'pending'" class="sync-state">待上传</span>
            <span v-else-if="r.mode === 'offline' && r.state === 'rejected'" class="sync-state">上传被拒：{{ r.error }}</span>
            <span v-else-if="r.mode === 'offline' && r.server" class="sync-state">
              服务器：{{ r.server.result_label || resultLabel(r.server.result) }}
              <strong v-if="isDuplicate(r)" class="dup-flag">重复入场</strong>
            </span>
          </li>
        </ol>
      </section>

      <result-panel v-if="state.answer" :answer="state.answer" :bundle-age="bundleAge" @next="next" />
    </section>`,
};
