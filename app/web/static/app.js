// The forecast dashboard: plain DOM and SVG over the JSON API of the same
// server. Pages are chosen by the URL's hash: #/, #/series?id=, #/runs,
// #/run?id=.
"use strict";

const PAGE = 50;
const main = document.getElementById("main");

// el builds an element; text children become text nodes, so nothing from
// the database is read as HTML.
function el(tag, attrs, ...children) {
  const ns = ["svg", "path", "circle", "line", "text", "polygon", "g"].includes(tag) ? "http://www.w3.org/2000/svg" : null;
  const e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function api(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== "" && v !== null && v !== undefined) q.set(k, v);
  const res = await fetch("v1/" + path + (q.toString() ? "?" + q : ""));
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? body.error.code + ": " + body.error.message : res.statusText);
  return body;
}

const fmt = (v, d = 3) => (v === null || v === undefined || !isFinite(v)) ? "–" : Number(v).toFixed(d);
// fmtTime shows an RFC 3339 time as "2024-01-31 12:00", with seconds only
// if they are not zero.
function fmtTime(t) {
  if (!t) return "–";
  const s = t.replace("T", " ").replace(/(\.\d+)?Z$/, "");
  return s.endsWith(":00") ? s.slice(0, -3) : s;
}
// show puts a page's parts in main; null parts are left out.
const show = (...parts) => main.replaceChildren(el("div", {}, ...parts));
const link = (hash, params, text) => el("a", { href: "#/" + hash + "?" + new URLSearchParams(params) }, text);

function route() {
  const hash = location.hash.slice(2);
  const [page, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  const pages = { "": home, series: seriesPage, runs: runsPage, run: runPage };
  const render = pages[page] || home;
  show(el("p", {}, "Loading…"));
  render(params).catch((err) => main.replaceChildren(el("p", { class: "error" }, String(err.message || err))));
}

// pager shows "from–to of total" with previous and next buttons.
function pager(total, offset, go) {
  return el("div", { class: "pager" },
    el("button", { disabled: offset === 0 ? "" : null, onclick: () => go(Math.max(0, offset - PAGE)) }, "‹ previous"),
    el("button", { disabled: offset + PAGE >= total ? "" : null, onclick: () => go(offset + PAGE) }, "next ›"),
    total === 0 ? "none" : `${offset + 1}–${Math.min(offset + PAGE, total)} of ${total}`);
}

// ---- home: models and series

async function home(params) {
  const models = await api("models", { limit: 1000 });
  const rows = models.models.map((m) => {
    const t = m.test || {};
    const mine = (t.selected || t.gru || {}).mase;
    const base = Math.min((t.naive || {}).mase ?? Infinity, (t.seasonal_naive || {}).mase ?? Infinity);
    return el("tr", {},
      el("td", {}, link("", { model: m.name }, m.name)),
      el("td", { class: "num" }, m.versions),
      el("td", {}, Object.entries(m.aliases).map(([a, v]) => `${a}→${v}`).join(", ")),
      el("td", {}, m.series),
      el("td", { class: "num " + (mine < base ? "better" : mine > base ? "worse" : "") }, fmt(mine)),
      el("td", { class: "num" }, fmt((t.naive || {}).mase)),
      el("td", { class: "num" }, fmt((t.seasonal_naive || {}).mase)),
      el("td", {}, fmtTime(m.updated_at)));
  });
  const model = params.get("model") || "";
  const search = el("input", { type: "search", placeholder: "search series", value: params.get("q") || "", id: "search" });
  const list = el("div", { id: "series-list" });
  let timer = null;
  const load = async (offset) => {
    const page = await api("series", { q: search.value, model, limit: PAGE, offset });
    list.replaceChildren(
      el("table", {},
        el("tr", {}, el("th", {}, "series"), el("th", { class: "num" }, "forecasts"), el("th", { class: "num" }, "actuals"), el("th", {}, "newest origin")),
        page.series.map((s) => el("tr", {},
          el("td", {}, link("series", model ? { id: s.series, model } : { id: s.series }, s.series)),
          el("td", { class: "num" }, s.forecasts), el("td", { class: "num" }, s.actuals), el("td", {}, fmtTime(s.last_origin))))),
      pager(page.total, offset, load));
  };
  search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => load(0), 200); });
  show(
    el("h1", {}, "Models"),
    models.models.length === 0 ? el("p", {}, "No model is stored yet.") :
      el("table", { id: "models" },
        el("tr", {}, el("th", {}, "model"), el("th", { class: "num" }, "versions"), el("th", {}, "aliases"), el("th", {}, "series"),
          el("th", { class: "num" }, "test MASE"), el("th", { class: "num" }, "naive"), el("th", { class: "num" }, "seasonal naive"), el("th", {}, "newest version")),
        rows),
    el("h2", {}, model ? `Series forecast by ${model} ` : "Series ", model ? link("", {}, "(all)") : null),
    search, list);
  await load(0);
}

// ---- series page: history, newest forecast with bands, past forecasts, accuracy

async function seriesPage(params) {
  const id = params.get("id");
  // model is a name, or NAME@VERSION where an origin's row picked one
  // version's forecast: lists take the name, the forecast the version.
  const model = params.get("model") || "";
  const modelName = model.split("@")[0];
  const origin = params.get("origin") || "";
  const [origins, accuracy] = await Promise.all([
    api("origins", { series: id, model: modelName, limit: PAGE }),
    api("accuracy", { series: id, model }),
  ]);
  let fc = null;
  if (origins.origins.length > 0) fc = await api("forecasts", { series: id, model, origin });
  // History up to the forecast's last time, and the past forecasts in its span.
  const until = fc && fc.points.length ? fc.points[fc.points.length - 1].time : "";
  const [actuals, errors] = await Promise.all([
    api("actuals", { series: id, until, limit: fc ? Math.min(500, Math.max(48, 8 * fc.points.length)) : 500 }),
    api("errors", { series: id, model: modelName, limit: 1000 }),
  ]);
  const first = actuals.actuals.length ? actuals.actuals[0].time : "";
  // The forecast shown is drawn as such, not again under it as a past one.
  const shown = (e) => fc && e.run === fc.run && e.model === fc.model && e.version === fc.version && e.origin === fc.origin;
  errors.errors = errors.errors.filter((e) => e.time >= first && (!until || e.time <= until) && !shown(e));
  const models = [...new Set(origins.origins.map((o) => o.model))];
  show(
    el("h1", {}, id),
    el("p", {}, "model: ", link("series", { id }, "all"), models.map((m) => [" · ", link("series", { id, model: m }, m)])),
    fc ? el("p", {}, `forecast by ${fc.model}@${fc.version} (${fc.method || "method not recorded"}, run ${fc.run}) from ${fmtTime(fc.origin)}`) :
      el("p", {}, "No forecasts of this series are stored."),
    plot(actuals.actuals, fc, errors.errors),
    el("div", { class: "legend" },
      el("span", {}, el("i", { style: "background:#222" }), "actuals"),
      el("span", {}, el("i", { style: "background:#c50" }), "forecast"),
      el("span", {}, el("i", { style: "background:#e07b39;opacity:.5" }), "80 % band"),
      el("span", {}, el("i", { style: "background:#f4b183;opacity:.6" }), "95 % band"),
      el("span", {}, el("i", { style: "background:#36c" }), "past forecasts")),
    el("h2", {}, "Accuracy on the actuals"),
    accuracy.accuracy.length === 0 ? el("p", {}, "No stored forecast of this series has an actual yet.") :
      el("table", { id: "accuracy" },
        el("tr", {}, el("th", {}, "model"), el("th", { class: "num" }, "forecasts"), el("th", { class: "num" }, "MAE"), el("th", { class: "num" }, "MASE"),
          el("th", {}, "inside the intervals"), el("th", {}, "from"), el("th", {}, "to")),
        accuracy.accuracy.map((a) => el("tr", {},
          el("td", {}, `${a.model}@${a.version}`), el("td", { class: "num" }, a.forecasts), el("td", { class: "num" }, fmt(a.mae)),
          el("td", { class: "num" }, fmt(a.mase)), el("td", {}, coverageText(a.levels)),
          el("td", {}, fmtTime(a.first)), el("td", {}, fmtTime(a.last))))),
    el("h2", {}, "Forecast origins"),
    el("table", { id: "origins" },
      el("tr", {}, el("th", {}, "origin"), el("th", {}, "model"), el("th", { class: "num" }, "run"), el("th", { class: "num" }, "steps")),
      origins.origins.map((o) => el("tr", {},
        el("td", {}, o.origin ? link("series", { id, model: `${o.model}@${o.version}`, origin: o.origin }, fmtTime(o.origin)) : "–"),
        el("td", {}, `${o.model}@${o.version}`), el("td", { class: "num" }, link("run", { id: o.run }, o.run)), el("td", { class: "num" }, o.steps)))));
}

// coverageText says, per interval level, the share of actuals inside:
// "80 %: 91.7 %, 95 %: 100.0 %"; "–" without intervals.
function coverageText(levels) {
  if (!levels || levels.length === 0) return "–";
  return levels.map((l) => `${+(100 * l.level).toFixed(1)} %: ${fmt(100 * l.coverage, 1)} %`).join(", ");
}

// timeTicks returns the ticks of a time axis from x0 to x1 (milliseconds,
// UTC) at calendar starts (minutes, hours, midnights, Mondays, months,
// years), of the finest step that gives at most six, each with its label:
// monthly data was labelled 1954-12-24 18:00 at even fractions of its span.
function timeTicks(x0, x1) {
  const M = 60e3, H = 60 * M, D = 24 * H;
  const steps = [[M, "t"], [5 * M, "t"], [15 * M, "t"], [H, "t"], [3 * H, "t"], [6 * H, "t"], [12 * H, "t"], [D, "d"], [2 * D, "d"],
    [7 * D, "w"], [14 * D, "w"], [1, "m"], [3, "m"], [6, "m"], [12, "y"], [24, "y"], [60, "y"], [120, "y"], [240, "y"], [600, "y"], [1200, "y"]];
  const label = (t, unit) => {
    const s = new Date(t).toISOString();
    return unit === "y" ? s.slice(0, 4) : unit === "m" ? s.slice(0, 7) : unit === "t" ? s.slice(0, 16).replace("T", " ") : s.slice(0, 10);
  };
  for (const [n, unit] of steps) {
    const ticks = [];
    if (unit === "m" || unit === "y") {
      const d = new Date(x0);
      let month = d.getUTCFullYear() * 12 + d.getUTCMonth();
      if (Date.UTC(Math.floor(month / 12), month % 12, 1) < x0) month++;
      for (month = Math.ceil(month / n) * n; ; month += n) {
        const t = Date.UTC(Math.floor(month / 12), month % 12, 1);
        if (t > x1 || ticks.length > 6) break;
        ticks.push(t);
      }
    } else {
      let t = Math.ceil(x0 / D) * D;
      if (unit === "w") while (new Date(t).getUTCDay() !== 1) t += D; // Mondays
      else t = Math.ceil(x0 / n) * n;
      for (; t <= x1 && ticks.length <= 6; t += n) ticks.push(t);
    }
    if (ticks.length <= 6) return ticks.map((t) => ({ x: t, label: label(t, unit) }));
  }
  return [];
}

// plot draws actuals (a line), the forecast (a line with a band per
// interval level) and past forecasts (dots) on one time axis. The plotted
// forecast points are kept in data- attributes for tests and tools.
function plot(actuals, fc, past) {
  const W = 1000, H = 360, L = 60, R = 20, T = 15, B = 30;
  const svg = el("svg", { class: "plot", id: "plot", width: W, height: H, viewBox: `0 0 ${W} ${H}` });
  const points = fc ? fc.points : [];
  const timed = points.every((p) => p.time);
  const xOf = (t, step) => timed ? Date.parse(t) : step;
  const xs = [], ys = [];
  if (timed) {
    for (const a of actuals) { xs.push(Date.parse(a.time)); ys.push(a.value); }
    for (const e of past) { xs.push(Date.parse(e.time)); ys.push(e.forecast); }
  }
  for (const p of points) {
    xs.push(xOf(p.time, p.step)); ys.push(p.value);
    for (const iv of p.intervals) ys.push(iv.lower, iv.upper);
  }
  svg.setAttribute("data-actuals", timed ? actuals.length : 0);
  svg.setAttribute("data-past", timed ? past.length : 0);
  svg.setAttribute("data-forecast", JSON.stringify(points.map((p) => [p.time || p.step, p.value])));
  if (xs.length === 0) return svg;
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) { y0 -= 1; y1 += 1; }
  const pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad;
  const sx = (x) => L + (x - x0) / (x1 - x0) * (W - L - R);
  const sy = (y) => T + (y1 - y) / (y1 - y0) * (H - T - B);
  const path = (pts) => pts.map(([x, y], i) => (i ? "L" : "M") + sx(x).toFixed(1) + "," + sy(y).toFixed(1)).join("");
  // Axes: five value ticks; times at calendar starts, steps at five.
  svg.append(el("line", { class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B }), el("line", { class: "axis", x1: L, y1: T, x2: L, y2: H - B }));
  for (let i = 0; i <= 4; i++) {
    const y = y0 + (y1 - y0) * i / 4;
    svg.append(el("text", { x: L - 5, y: sy(y) + 4, "text-anchor": "end" }, fmt(y, 2)));
  }
  // Fifths of the span where calendar starts fit none (seconds apart, or millennia).
  const fifths = (label) => [0, 1, 2, 3, 4].map((i) => x0 + (x1 - x0) * i / 4).map((x) => ({ x, label: label(x) }));
  let xTicks = timed ? timeTicks(x0, x1) : fifths(Math.round);
  if (timed && xTicks.length === 0) xTicks = fifths((x) => new Date(x).toISOString().slice(0, 19).replace("T", " "));
  for (const tick of xTicks) {
    svg.append(el("line", { class: "tick", x1: sx(tick.x), y1: H - B, x2: sx(tick.x), y2: H - B + 4 }));
    const x = sx(tick.x), anchor = x > W - R - 40 ? "end" : x < L + 40 ? "start" : "middle";
    svg.append(el("text", { x, y: H - B + 16, "text-anchor": anchor }, tick.label));
  }
  // Bands, widest first so that narrower ones lie on top.
  const levels = [...new Set(points.flatMap((p) => p.intervals.map((iv) => iv.level)))].sort((a, b) => b - a);
  for (const level of levels) {
    const withLevel = points.filter((p) => p.intervals.some((iv) => iv.level === level));
    const iv = (p) => p.intervals.find((v) => v.level === level);
    const up = withLevel.map((p) => [xOf(p.time, p.step), iv(p).upper]);
    const down = withLevel.map((p) => [xOf(p.time, p.step), iv(p).lower]).reverse();
    const cls = Math.abs(level - 0.95) < 1e-9 ? "band95" : Math.abs(level - 0.8) < 1e-9 ? "band80" : "band";
    svg.append(el("polygon", { class: cls, "data-level": level, points: up.concat(down).map(([x, y]) => sx(x).toFixed(1) + "," + sy(y).toFixed(1)).join(" ") }));
  }
  if (timed && actuals.length) svg.append(el("path", { class: "actual", d: path(actuals.map((a) => [Date.parse(a.time), a.value])) }));
  if (timed) for (const e of past) svg.append(el("circle", { class: "past", r: 2.5, cx: sx(Date.parse(e.time)).toFixed(1), cy: sy(e.forecast).toFixed(1) }));
  if (points.length) {
    svg.append(el("path", { class: "forecast", d: path(points.map((p) => [xOf(p.time, p.step), p.value])) }));
    for (const p of points) {
      svg.append(el("circle", { class: "fc", r: 3, fill: "#c50", cx: sx(xOf(p.time, p.step)).toFixed(1), cy: sy(p.value).toFixed(1), "data-step": p.step, "data-value": p.value }));
    }
  }
  return svg;
}

// ---- runs

async function runsPage(params) {
  const command = params.get("command") || "";
  const offset = Number(params.get("offset") || 0);
  const page = await api("runs", { command, limit: PAGE, offset });
  const go = (o) => { location.hash = "#/runs?" + new URLSearchParams({ command, offset: o }); };
  show(
    el("h1", {}, "Runs"),
    el("p", {}, link("runs", {}, "all"), " · ", link("runs", { command: "batch" }, "batch")),
    el("table", { id: "runs" },
      el("tr", {}, el("th", { class: "num" }, "run"), el("th", {}, "command"), el("th", {}, "status"), el("th", {}, "started"), el("th", {}, "finished"), el("th", {}, "wrote / error")),
      page.runs.map((r) => el("tr", {},
        el("td", { class: "num" }, link("run", { id: r.id }, r.id)), el("td", {}, r.command),
        el("td", { class: r.status === "failed" ? "failed" : "" }, r.status),
        el("td", {}, fmtTime(r.started_at)), el("td", {}, fmtTime(r.finished_at)),
        el("td", {}, r.error || Object.entries(r.wrote).map(([k, v]) => `${k}: ${v}`).join(", "))))),
    pager(page.total, offset, go));
}

async function runPage(params) {
  const id = params.get("id");
  const offset = Number(params.get("offset") || 0);
  const page = await api("runs/" + encodeURIComponent(id), { status: "failed", limit: PAGE, offset });
  const r = page.run;
  show(
    el("h1", {}, `Run ${r.id}: ${r.command}`),
    el("p", { class: r.status === "failed" ? "failed" : "" }, `${r.status}${r.error ? ": " + r.error : ""}`),
    el("p", {}, `started ${fmtTime(r.started_at)}, finished ${fmtTime(r.finished_at)}; forecast ${r.args.join(" ")}`),
    page.jobs.length === 0 ? null : [el("h2", {}, "Jobs"),
      el("table", { id: "jobs" },
        el("tr", {}, el("th", {}, "job"), el("th", {}, "model"), el("th", {}, "status"), el("th", { class: "num" }, "done"), el("th", { class: "num" }, "failed"),
          el("th", { class: "num" }, "skipped"), el("th", {}, "decision"), el("th", { class: "num" }, "seconds")),
        page.jobs.map((j) => el("tr", {},
          el("td", {}, j.job), el("td", {}, j.model), el("td", { class: j.status === "failed" ? "failed" : "" }, j.status),
          el("td", { class: "num" }, j.series_done), el("td", { class: "num" }, j.series_failed), el("td", { class: "num" }, j.series_skipped),
          el("td", {}, j.decision), el("td", { class: "num" }, fmt(j.seconds, 1)))))],
    page.jobs.length === 0 ? null : [el("h2", {}, "Failed series"),
      el("table", { id: "failed" },
        el("tr", {}, el("th", {}, "job"), el("th", {}, "series"), el("th", {}, "error")),
        page.series.series.map((s) => el("tr", {}, el("td", {}, s.job), el("td", {}, link("series", { id: s.series }, s.series)), el("td", {}, s.error)))),
      pager(page.series.total, offset, (o) => { location.hash = "#/run?" + new URLSearchParams({ id, offset: o }); })]);
}

window.addEventListener("hashchange", route);
route();
