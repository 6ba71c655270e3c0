// Health (counts, index lag, embedder, database size, request rates, extraction yield).
// Charts are inline SVG from charts.js. The Injections view is in injections.js.
import { get } from "./api.js";
import { bars, figure, hbars, meter, sparkline, stack } from "./charts.js";
import { clear, dl, fmtBytes, fmtTime, h, short } from "./dom.js";

const POLL_MS = 3000;
let timer = null;
const series = { at: [], requests: [], recalls: [], stores: [], db: [] };
let prev = null;

/** Stop polling (called on every view change). */
export function stopHealth() {
  if (timer) clearInterval(timer);
  timer = null;
}

function parseMetrics(text) {
  const out = {};
  for (const line of String(text).split("\n")) {
    const m = /^memoryoss_([a-z_]+)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line.trim());
    if (m) out[m[1]] = (out[m[1]] || 0) + Number(m[3]);
  }
  return out;
}

async function sample() {
  const [text, stats] = await Promise.all([get("/metrics"), get("/v1/dashboard/stats?days=1")]);
  const m = parseMetrics(text);
  const now = Date.now();
  const cur = {
    now,
    requests: m.http_requests_total ?? null,
    recalls: m.recalls_total ?? 0,
    stores: m.stores_total ?? 0,
  };
  if (prev) {
    const dt = Math.max(0.001, (now - prev.now) / 1000);
    const rate = (
      k,
    ) => (cur[k] === null || prev[k] === null ? 0 : Math.max(0, cur[k] - prev[k]) / dt);
    for (const k of ["requests", "recalls", "stores"]) {
      series[k].push(rate(k));
      if (series[k].length > 60) series[k].shift();
    }
  }
  if (stats.database) {
    series.db.push(stats.database.bytes + stats.database.wal_bytes);
    if (series.db.length > 60) series.db.shift();
  }
  prev = cur;
  return { metrics: m, stats };
}

function ratesBox(hasHttp) {
  const last = (k) => (series[k].length ? series[k][series[k].length - 1] : 0);
  return [
    hasHttp
      ? figure(
        `HTTP requests/s: ${last("requests").toFixed(1)}`,
        sparkline(series.requests, { label: "HTTP requests per second", unit: "/s" }),
      )
      : null,
    figure(
      `Recalls/s: ${last("recalls").toFixed(1)}`,
      sparkline(series.recalls, { label: "recalls per second", unit: "/s" }),
    ),
    figure(
      `Stores/s: ${last("stores").toFixed(1)}`,
      sparkline(series.stores, { label: "stores per second", unit: "/s" }),
    ),
  ];
}

const STATUS_PARTS = ["active", "candidate", "contested", "stale"];

/** A stacked bar of `counts` (`{by_status, archived}`): each status, then archived. */
function statusStack(counts, label) {
  return stack([
    ...STATUS_PARTS.map((s, i) => ({ label: s, value: counts.by_status[s] || 0, cls: `c${i}` })),
    { label: "archived", value: counts.archived, cls: "c5" },
  ], { label });
}

/** The health view. */
export async function healthView(root) {
  const [health, stats] = await Promise.all([get("/health"), get("/v1/dashboard/stats?days=30")]);
  const first = await sample();
  const rates = h(
    "div",
    { class: "grid3", id: "rates" },
    ratesBox(first.metrics.http_requests_total !== undefined),
  );
  const dbBox = h("div", { id: "dbsize" });
  const drawDb = (st) => {
    clear(
      dbBox,
      st.database
        ? figure(
          `Database ${fmtBytes(st.database.bytes)} + WAL ${fmtBytes(st.database.wal_bytes)}`,
          sparkline(series.db, { label: "database size in bytes" }),
        )
        : h("p", { class: "note" }, "Database size is shown to owner keys (all namespaces) only."),
    );
  };
  drawDb(first.stats);
  const t = stats.totals;
  const x = stats.extraction;
  const idx = stats.index;
  clear(
    root,
    h("h2", null, "Health"),
    h(
      "p",
      { class: "lead" },
      `memoryoss ${health.version} · updated ${fmtTime(stats.generated_at)}`,
    ),
    h(
      "div",
      { class: "grid2" },
      h(
        "section",
        { class: "card", "aria-labelledby": "h-counts" },
        h("h3", { id: "h-counts" }, `Memories: ${t.total}`),
        figure(
          "By status",
          statusStack(t, "memories by status"),
        ),
        figure(
          "Created per day (30 days)",
          bars(stats.created_per_day.map((d) => ({ label: d.day, value: d.count })), {
            label: "memories created per day",
          }),
        ),
        figure(
          "Per namespace",
          hbars(
            stats.namespaces.slice(0, 12).map((n) => ({
              label: short(n.namespace, 14),
              value: n.total,
            })),
            { label: "memories per namespace" },
          ),
        ),
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "h-index" },
        h("h3", { id: "h-index" }, "Index and embedder"),
        dl([
          ["embedder", `${stats.embedder.id} (${stats.embedder.dim} dims)`],
          ["vectors", `${idx.vector_index_size} indexed of ${idx.vectors_expected} expected`],
          ["missing embeddings", String(idx.missing_embeddings)],
          ["stale embeddings", String(idx.stale_embeddings)],
          ["index lag", `${idx.lag} item${idx.lag === 1 ? "" : "s"}`],
        ]),
        figure(
          `Index lag: ${idx.lag}`,
          meter(idx.lag, Math.max(1, idx.vectors_expected + idx.lag), { label: "index lag" }),
          idx.lag
            ? "Run `memoryoss embed reembed` or `memoryoss drain` to catch up."
            : "Up to date.",
        ),
        dbBox,
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "h-rates" },
      h("h3", { id: "h-rates" }, "Request rates (live, every 3 s)"),
      rates,
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "h-yield" },
      h("h3", { id: "h-yield" }, `Extraction yield: ${x.extracted_total} extracted`),
      h(
        "div",
        { class: "grid2" },
        figure(
          "Extracted memories now",
          statusStack(x, "extracted memories by status"),
          "Candidates become active when reused or confirmed.",
        ),
        figure(
          "Extracted per day (30 days)",
          bars(x.extracted_per_day.map((d) => ({ label: d.day, value: d.count })), {
            label: "memories extracted per day",
          }),
        ),
        figure(
          "Remember → drain decisions",
          stack(
            ["ADD", "UPDATE", "DELETE", "NONE"].map((a, i) => ({
              label: a,
              value: x.remember_decisions[a] || x.remember_decisions[a.toLowerCase()] || 0,
              cls: `c${i}`,
            })),
            { label: "drain decisions" },
          ),
          `${x.remember_pending} waiting in the remember queue.`,
        ),
      ),
    ),
  );
  timer = setInterval(async () => {
    try {
      const s = await sample();
      clear(rates, ratesBox(s.metrics.http_requests_total !== undefined));
      drawDb(s.stats);
    } catch {
      stopHealth();
    }
  }, POLL_MS);
}
