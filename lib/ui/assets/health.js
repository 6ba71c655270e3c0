// Health (counts, index lag, embedder, database size, request rates, extraction yield) and
// the injections view (what the proxy injected recently, and an explain view for why a
// prompt would get which memories). Charts are inline SVG from charts.js.
import { get, post, qs } from "./api.js";
import { bars, figure, hbars, meter, sparkline, stack } from "./charts.js";
import {
  announce,
  clear,
  dl,
  field,
  fmtBytes,
  fmtTime,
  h,
  select,
  short,
  showError,
} from "./dom.js";
import { can, namespaceOptions, primaryNamespace } from "./state.js";

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
          stack([
            ...STATUS_PARTS.map((s, i) => ({ label: s, value: t.by_status[s] || 0, cls: `c${i}` })),
            { label: "archived", value: t.archived, cls: "c5" },
          ], { label: "memories by status" }),
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
          stack([
            ...STATUS_PARTS.map((s, i) => ({ label: s, value: x.by_status[s] || 0, cls: `c${i}` })),
            { label: "archived", value: x.archived, cls: "c5" },
          ], { label: "extracted memories by status" }),
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

function explainResult(r) {
  return h(
    "li",
    { class: "hit" },
    h(
      "a",
      { href: `#memory/${encodeURIComponent(r.id)}`, class: "hit-link" },
      short(r.preview, 200),
    ),
    h(
      "p",
      { class: "meta" },
      h("span", { class: `badge st-${r.status}` }, r.status),
      ` final ${
        Number(r.final_score).toFixed(3)
      } = (base ${r.base_score} + recency ${r.recency_score})`,
      ` × status ${r.status_factor}`,
      r.trust_score !== null ? ` · trust ${Number(r.trust_score).toFixed(2)}` : "",
      r.provenance.length ? ` · matched by ${r.provenance.join(", ")}` : "",
    ),
    hbars([
      { label: "vector", value: r.channels.vector, cls: "c0" },
      { label: "bm25", value: r.channels.fts, cls: "c1" },
      { label: "exact", value: r.channels.exact, cls: "c2" },
      { label: "recency", value: r.channels.recency, cls: "c3" },
    ], { label: "channel scores", max: 1 }),
  );
}

/** Injections: what the proxy injected recently, recent admin activity, and explain. */
export async function activityView(root) {
  const inj = await get("/v1/dashboard/injections?limit=20");
  const q = h("input", { type: "search", name: "prompt", required: true, autocomplete: "off" });
  const ns = select(namespaceOptions(false), primaryNamespace(), { name: "namespace" });
  const out = h("div", { class: "results", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "searchbar", "aria-label": "Explain a prompt" },
    field("Prompt", q),
    field("Namespace", ns),
    h("div", { class: "field" }, h("button", { type: "submit" }, "Explain")),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = { query: q.value.trim(), namespace: ns.value, limit: 10 };
    if (!body.query) return;
    try {
      const res = can("admin")
        ? await post("/v1/admin/query-explain", body)
        : toExplain(await post("/v1/recall", { ...body, explain: true }));
      clear(
        out,
        h(
          "p",
          { class: "note" },
          `Channels: ${
            ["vector", "fts", "exact"].filter((c) => res[`used_${c}`] !== false).join(", ")
          } · min channel score ${res.min_channel_score ?? "default"}${
            res.identifiers && res.identifiers.length
              ? ` · identifiers ${res.identifiers.join(", ")}`
              : ""
          }`,
        ),
        res.final_results.length
          ? h("ol", { class: "hits" }, res.final_results.map(explainResult))
          : h("p", { class: "empty" }, "Nothing passes the gates: the proxy would inject nothing."),
      );
      announce(`${res.final_results.length} memories would be injected.`);
    } catch (e) {
      showError(e);
    }
  });
  const items = inj.injections;
  let recent = null;
  if (can("admin")) {
    try {
      recent = (await get(`/v1/admin/recent${qs({ limit: 20 })}`)).events;
    } catch {
      recent = null;
    }
  }
  clear(
    root,
    h("h2", null, "Injections"),
    h(
      "p",
      { class: "lead" },
      "What the proxy put into prompts most recently. The proxy records when and how often each " +
        "memory was injected, not the prompt itself: use Explain below to see why a prompt gets " +
        "which memories.",
    ),
    items.length
      ? [
        figure(
          "Injections per memory (most recent first)",
          hbars(
            items.slice(0, 10).map((i) => ({
              label: short(i.preview, 14),
              value: i.injection_count,
            })),
            { label: "injection counts" },
          ),
        ),
        h(
          "ol",
          { class: "rows" },
          items.map((i) =>
            h(
              "li",
              { class: "row-item" },
              h("a", { href: `#memory/${encodeURIComponent(i.id)}` }, i.preview),
              h(
                "p",
                { class: "meta" },
                `${i.namespace} · ${i.injection_count}× · last ${fmtTime(i.last_injected_at)}` +
                  ` · reused ${i.reuse_count}× · trust ${i.trust_score.toFixed(2)}`,
              ),
            )
          ),
        ),
      ]
      : h("p", { class: "empty" }, "The proxy has not injected any memory yet."),
    h("h3", null, "Explain"),
    form,
    out,
    recent && recent.length
      ? [
        h("h3", null, "Recent activity"),
        h(
          "ul",
          { class: "rows" },
          recent.map((e) =>
            h(
              "li",
              { class: "row-item" },
              `${fmtTime(e.at)} · ${e.kind} · ${e.namespace}`,
              e.memory_id
                ? [" · ", h("a", { href: `#memory/${e.memory_id}` }, e.memory_id.slice(0, 8))]
                : "",
            )
          ),
        ),
      ]
      : null,
  );
}

function toExplain(res) {
  return {
    used_vector: true,
    used_fts: true,
    used_exact: true,
    final_results: res.memories.map((m) => ({
      id: m.memory.id,
      preview: m.memory.content,
      status: m.memory.status,
      provenance: m.provenance,
      channels: m.explain.channels,
      base_score: "—",
      recency_score: "—",
      status_factor: "—",
      trust_score: m.trust_score ?? null,
      final_score: m.score,
    })),
  };
}
