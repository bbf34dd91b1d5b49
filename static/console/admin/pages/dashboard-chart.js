// One ECharts chart: drawn when its option is there, redrawn when it changes, resized with the
// window, disposed on unmount; a Chinese sentence for screen readers, and an empty state.
// ECharts (a classic script defining `echarts`) is loaded on demand, once, by loadEcharts().

const { ref, watch, onMounted, onBeforeUnmount, nextTick } = Vue;

// The shell names its versioned (long-cached) URL; the plain path is the fallback.
const ECHARTS = (window.LVJIAN && window.LVJIAN.echarts) || "/assets/vendor/console/echarts/echarts.common.min.js";
let loading = null;

export function loadEcharts() {
  if (globalThis.echarts) return Promise.resolve(globalThis.echarts);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = ECHARTS;
      script.async = true;
      script.onload = () => resolve(globalThis.echarts);
      script.onerror = () => { loading = null; script.remove(); reject(new Error("echarts")); };
      document.head.appendChild(script);
    });
  }
  return loading;
}

// Large, dark text for older eyes; the campaign's greens first.
export const BASE_OPTION = {
  color: ["#1f7a4d", "#c26a00", "#2f5fa7", "#8f1e18", "#6b4ea0", "#4d7a1f"],
  textStyle: { fontSize: 14, color: "#1a1a1a", fontFamily: "system-ui, 'Noto Sans CJK SC', sans-serif" },
  grid: { left: 20, right: 20, top: 40, bottom: 44, containLabel: true },
  tooltip: { trigger: "axis", textStyle: { fontSize: 14 } },
  legend: { type: "scroll", bottom: 0, textStyle: { fontSize: 14, color: "#1a1a1a" } },
  animation: false,
};

export default {
  props: {
    name: { type: String, required: true },
    option: { type: Object, default: null },
    label: { type: String, default: "" },
    empty: { type: String, default: "暂无数据" },
  },
  setup(props) {
    const el = ref(null);
    let chart = null;
    const resize = () => { if (chart) chart.resize(); };

    function dispose() {
      if (chart) { chart.dispose(); chart = null; }
    }
    async function draw() {
      if (!props.option) { dispose(); return; }
      const echarts = await loadEcharts();
      await nextTick();
      if (!el.value) return;
      if (chart && chart.getDom() !== el.value) dispose();
      if (!chart) chart = echarts.init(el.value, null, { renderer: "canvas" });
      chart.setOption({ ...BASE_OPTION, ...props.option }, true);
    }
    watch(() => props.option, draw, { flush: "post" });
    onMounted(() => { window.addEventListener("resize", resize); draw(); });
    onBeforeUnmount(() => { window.removeEventListener("resize", resize); dispose(); });
    return { el };
  },
  template: `
    <div v-if="option" ref="el" class="chart" role="img" :aria-label="label" :data-chart="name"></div>
    <div v-else class="chart-empty" :data-chart-empty="name">{{ empty }}</div>`,
};
