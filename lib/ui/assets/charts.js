// Small inline SVG charts drawn by hand (no library). Each chart is an <svg role="img"> with
// an aria-label that states the numbers, so screen readers get the data, not the picture.
import { h } from "./dom.js";

const NS = "http://www.w3.org/2000/svg";

function s(tag, attrs, ...kids) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const k of kids) {
    if (k === null || k === undefined) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return el;
}

function svg(w, hgt, label, kind) {
  return s("svg", {
    viewBox: `0 0 ${w} ${hgt}`,
    width: "100%",
    role: "img",
    "aria-label": label,
    preserveAspectRatio: "none",
    class: `chart ${kind}`,
  }, s("title", null, label));
}

function fmt(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** A captioned figure around a chart. */
export function figure(caption, chart, note) {
  return h(
    "figure",
    { class: "fig" },
    h("figcaption", null, caption),
    chart,
    note ? h("p", { class: "note" }, note) : null,
  );
}

/** Vertical bars, one per item [{label, value}] (e.g. per day). */
export function bars(items, { label = "bar chart", height = 80 } = {}) {
  const w = Math.max(items.length * 10, 100);
  const max = Math.max(1, ...items.map((i) => i.value));
  const total = items.reduce((n, i) => n + i.value, 0);
  const last = items[items.length - 1];
  const el = svg(
    w,
    height,
    `${label}: total ${total}, max ${max}${last ? `, ${last.label}: ${last.value}` : ""}`,
    "bars",
  );
  items.forEach((it, i) => {
    const bh = Math.round((it.value / max) * (height - 4));
    el.append(
      s(
        "rect",
        { x: i * 10 + 1, y: height - bh, width: 8, height: Math.max(bh, it.value ? 1 : 0) },
        s("title", null, `${it.label}: ${it.value}`),
      ),
    );
  });
  el.append(s("line", { x1: 0, x2: w, y1: height - 0.5, y2: height - 0.5, class: "axis" }));
  return el;
}

/** Horizontal bars with labels [{label, value}], scaled to `max` (default: largest value). */
export function hbars(items, { label = "bars", max } = {}) {
  const rowH = 18;
  const w = 300;
  const top = max ?? Math.max(1e-9, ...items.map((i) => i.value));
  const el = svg(
    w,
    items.length * rowH + 2,
    `${label}: ${items.map((i) => `${i.label} ${fmt(i.value)}`).join(", ")}`,
    "hbars",
  );
  el.setAttribute("preserveAspectRatio", "xMinYMin meet");
  items.forEach((it, i) => {
    const y = i * rowH + 1;
    const bw = Math.max(0, Math.min(1, it.value / top)) * 160;
    el.append(
      s("text", { x: 0, y: y + 13, class: "lbl" }, it.label),
      s("rect", { x: 90, y: y + 3, width: 160, height: 12, class: "track" }),
      s("rect", { x: 90, y: y + 3, width: bw, height: 12, class: it.cls || "fill" }),
      s("text", { x: 256, y: y + 13, class: "val" }, fmt(it.value)),
    );
  });
  return el;
}

/** One bar split into parts [{label, value, cls}] with a legend. */
export function stack(parts, { label = "breakdown" } = {}) {
  const total = parts.reduce((n, p) => n + p.value, 0);
  const w = 300;
  const el = svg(
    w,
    20,
    `${label}: ${parts.map((p) => `${p.label} ${p.value}`).join(", ")}`,
    "stack",
  );
  let x = 0;
  parts.forEach((p, i) => {
    const pw = total ? (p.value / total) * w : 0;
    el.append(
      s(
        "rect",
        { x, y: 0, width: pw, height: 20, class: p.cls || `c${i % 6}` },
        s("title", null, `${p.label}: ${p.value}`),
      ),
    );
    x += pw;
  });
  if (!total) el.append(s("rect", { x: 0, y: 0, width: w, height: 20, class: "track" }));
  const legend = h(
    "ul",
    { class: "legend" },
    parts.map((p, i) =>
      h(
        "li",
        null,
        h("span", { class: `sw ${p.cls || `c${i % 6}`}`, "aria-hidden": "true" }),
        `${p.label} ${p.value}`,
      )
    ),
  );
  return h("div", { class: "stack" }, el, legend);
}

/** A line over time for values (oldest first); an empty series draws a flat baseline. */
export function sparkline(values, { label = "trend", height = 40, unit = "" } = {}) {
  const w = 200;
  const vs = values.length ? values.map((v) => (Number.isFinite(v) ? v : 0)) : [0];
  const max = Math.max(1e-9, ...vs);
  const min = Math.min(0, ...vs);
  const dx = vs.length > 1 ? w / (vs.length - 1) : w;
  const pts = vs.map((v, i) => {
    const y = height - 2 - ((v - min) / (max - min || 1)) * (height - 4);
    return `${(i * dx).toFixed(1)},${y.toFixed(1)}`;
  });
  if (vs.length === 1) pts.push(`${w},${pts[0].split(",")[1]}`);
  const lastV = vs[vs.length - 1];
  const el = svg(w, height, `${label}: now ${fmt(lastV)}${unit}, max ${fmt(max)}${unit}`, "spark");
  el.append(s("polyline", { points: pts.join(" "), class: "line", fill: "none" }));
  return el;
}

/** A meter-like bar: value out of max, with a text label next to it. */
export function meter(value, max, { label = "level" } = {}) {
  const w = 300;
  const frac = max > 0 ? Math.min(1, value / max) : 0;
  const el = svg(w, 14, `${label}: ${value} of ${max}`, "meter");
  el.append(
    s("rect", { x: 0, y: 0, width: w, height: 14, class: "track" }),
    s("rect", { x: 0, y: 0, width: frac * w, height: 14, class: frac > 0.5 ? "warn" : "fill" }),
  );
  return el;
}

/** A memory and its graph neighbours [{kind, weight, id}] around it, edges by kind. */
export function graphChart(neighbours) {
  const w = 300;
  const ht = 200;
  const cx = w / 2;
  const cy = ht / 2;
  const kinds = {};
  for (const n of neighbours) kinds[n.kind] = (kinds[n.kind] || 0) + 1;
  const el = svg(
    w,
    ht,
    `memory graph: ${neighbours.length} neighbours (${
      Object.entries(kinds).map(([k, v]) => `${v} ${k}`).join(", ")
    })`,
    "graph",
  );
  el.setAttribute("preserveAspectRatio", "xMidYMid meet");
  const shown = neighbours.slice(0, 24);
  shown.forEach((n, i) => {
    const a = (2 * Math.PI * i) / shown.length - Math.PI / 2;
    const x = cx + Math.cos(a) * 80;
    const y = cy + Math.sin(a) * 80;
    el.append(
      s("line", {
        x1: cx,
        y1: cy,
        x2: x,
        y2: y,
        class: `edge k-${n.kind}`,
        "stroke-width": (1 + Math.min(1, Math.max(0, n.weight)) * 3).toFixed(1),
      }),
      s(
        "circle",
        { cx: x, cy: y, r: 7, class: `node k-${n.kind}` },
        s("title", null, `${n.kind} ${n.id}`),
      ),
    );
  });
  el.append(s("circle", { cx, cy, r: 11, class: "node self" }, s("title", null, "this memory")));
  return h(
    "div",
    { class: "graph" },
    el,
    h(
      "ul",
      { class: "legend" },
      Object.keys(kinds).map((k) =>
        h("li", null, h("span", { class: `sw k-${k}`, "aria-hidden": "true" }), `${k} ${kinds[k]}`)
      ),
    ),
  );
}
