// The dashboard's charts as ECharts options, each with its Chinese summary for screen readers;
// null (→ the chart's empty state) when there is nothing to draw.

const sum = (list) => list.reduce((a, b) => a + b, 0);
const yuanText = (fen) => `${(fen / 100).toLocaleString("zh-CN", { maximumFractionDigits: 2 })} 元`;
const hhmm = (iso) => new Date(iso).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false });
const md = (day) => day.slice(5);

// (1) arrivals per 15 minutes at one expo
export function arrivalsChart(expo, attendance) {
  const arrivals = (attendance && attendance.arrivals) || [];
  if (!expo || !arrivals.length) return { option: null, label: "" };
  const counts = arrivals.map((a) => a.count);
  const peak = arrivals[counts.indexOf(Math.max(...counts))];
  return {
    label: `${expo.title}每 15 分钟入场人数：已入场 ${attendance.admitted} 人，最多的时段是 ${hhmm(peak.from)} 起（${peak.count} 人）。`,
    option: {
      xAxis: { type: "category", data: arrivals.map((a) => hhmm(a.from)), axisLabel: { fontSize: 13 } },
      yAxis: { type: "value", name: "人数", minInterval: 1 },
      series: [{ name: "入场人数", type: "bar", data: counts, label: { show: true, position: "top", fontSize: 13 } }],
      legend: { show: false },
    },
  };
}

// (2) claims and the remaining budget per programme, day by day
export function programmesChart(programmes) {
  const list = (programmes || []).filter((p) => (p.series || []).length);
  if (!list.length) return { option: null, label: "" };
  const days = [...new Set(list.flatMap((p) => p.series.map((s) => s.day)))].sort();
  const series = [];
  const named = (p, what) => (list.length > 1 ? `${p.name} ${what}` : what);
  for (const p of list) {
    const byDay = Object.fromEntries(p.series.map((s) => [s.day, s]));
    // Days before the programme had any budget are left blank, not drawn as "nothing left".
    const funded = days.findIndex((d) => byDay[d] && byDay[d].remaining > 0);
    series.push({ name: named(p, "剩余预算（元）"), type: "line", yAxisIndex: 0, connectNulls: true, symbolSize: 6,
      data: days.map((d, i) => (byDay[d] && (funded < 0 || i >= funded) ? byDay[d].remaining / 100 : null)) });
    series.push({ name: named(p, "申请（件）"), type: "bar", yAxisIndex: 1, data: days.map((d) => (byDay[d] ? byDay[d].claims : 0)) });
  }
  const parts = list.map((p) => {
    const last = p.series[p.series.length - 1];
    return `「${p.name}」预算 ${yuanText(p.budget)}，期间申请 ${sum(p.series.map((s) => s.claims))} 件、批准 ${sum(p.series.map((s) => s.approved))} 件，剩余 ${yuanText(last.remaining)}`;
  });
  return {
    label: `补贴申请与预算消耗：${parts.join("；")}。`,
    option: {
      xAxis: { type: "category", data: days.map(md) },
      yAxis: [{ type: "value", name: "剩余（元）" }, { type: "value", name: "申请（件）", minInterval: 1 }],
      series,
    },
  };
}

// (3) complaints by status, and how many are overdue
export function complaintsChart(complaints) {
  const rows = ((complaints && complaints.by_status) || []).filter((r) => r.count > 0);
  if (!rows.length && !(complaints && complaints.overdue)) return { option: null, label: "" };
  const labels = [...rows.map((r) => r.label), "其中已超期"];
  const data = [...rows.map((r) => r.count), { value: complaints.overdue || 0, itemStyle: { color: "#8f1e18" } }];
  return {
    label: `投诉按状态：${rows.map((r) => `${r.label} ${r.count} 件`).join("，")}；已超期 ${complaints.overdue || 0} 件。`,
    option: {
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, fontSize: 13 } },
      yAxis: { type: "value", name: "件数", minInterval: 1 },
      series: [{ name: "投诉（件）", type: "bar", data, label: { show: true, position: "top", fontSize: 13 } }],
      legend: { show: false },
    },
  };
}

// (4) coupons claimed and redeemed per day
export function couponsChart(coupons) {
  const days = coupons || [];
  if (!days.length || !days.some((d) => d.claimed || d.redeemed)) return { option: null, label: "" };
  const claimed = sum(days.map((d) => d.claimed));
  const redeemed = sum(days.map((d) => d.redeemed));
  return {
    label: `优惠券每日领取与核销：${days[0].day} 至 ${days[days.length - 1].day} 共领取 ${claimed} 张，核销 ${redeemed} 张。`,
    option: {
      xAxis: { type: "category", data: days.map((d) => md(d.day)) },
      yAxis: { type: "value", name: "张数", minInterval: 1 },
      series: [
        { name: "领取", type: "line", data: days.map((d) => d.claimed), symbolSize: 6 },
        { name: "核销", type: "line", data: days.map((d) => d.redeemed), symbolSize: 6 },
      ],
    },
  };
}

// (5) sub-regions side by side, from the summary report's rows
export function regionsChart(summary) {
  const rows = (summary && summary.rows) || [];
  if (!rows.length) return { option: null, label: "" };
  const figures = [["报名人数", (r) => r.expos.registrations], ["领券（张）", (r) => r.promotions.coupons_claimed],
    ["补贴申请（件）", (r) => r.subsidies.claims], ["收到投诉（件）", (r) => r.complaints.received]];
  const text = rows.map((r) => `${r.region.name}：${figures.map(([name, get]) => `${name} ${get(r)}`).join("、")}`);
  return {
    label: `各下级地区对比（${summary.from} 至 ${summary.to}）：${text.join("；")}。`,
    option: {
      xAxis: { type: "category", data: rows.map((r) => r.region.name), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0, fontSize: 13 } },
      yAxis: { type: "value", minInterval: 1 },
      series: figures.map(([name, get]) => ({ name, type: "bar", data: rows.map(get) })),
    },
  };
}
