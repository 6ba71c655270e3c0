// The Injections view: the proxy's recent requests with what it injected and why (the
// in-memory injection log), injections per memory, an explain form for any prompt, and, for
// admins, the recent activity log. Every string from the API goes in as text.
import { get, post, qs } from "./api.js";
import { figure, hbars } from "./charts.js";
import { announce, clear, field, fmtTime, h, select, short, showError } from "./dom.js";
import { can, namespaceOptions, primaryNamespace } from "./state.js";

const REASONS = {
  below_min_score: "score below the threshold",
  not_active: "not active",
  archived: "archived",
  low_trust: "low trust",
  injection_filter: "prompt-injection filter",
  before_after_date: "older than the mode's date",
  over_budget: "context budget full",
  task_state_omitted: "task state bucket full",
};

const num = (x, d = 3) => (typeof x === "number" ? x.toFixed(d) : "—");

function channelText(ch) {
  if (!ch) return "no channel breakdown";
  return `vector ${num(ch.vector, 2)} · bm25 ${num(ch.fts, 2)} · exact ${num(ch.exact, 2)}` +
    ` · recency ${num(ch.recency, 2)}`;
}

function memoryLink(m) {
  const label = m.preview ?? `${m.id.slice(0, 8)}… (no longer visible)`;
  return m.preview === null
    ? h("span", { class: "gone" }, label)
    : h("a", { href: `#memory/${encodeURIComponent(m.id)}` }, label);
}

/** One proxied request: when, where, the query, the injected memories and the gated-out ones. */
function requestItem(r) {
  const injected = r.injected || [];
  const out = r.gated_out || [];
  return h(
    "li",
    { class: "row-item req" },
    h(
      "p",
      { class: "meta" },
      `${fmtTime(r.at)} · ${r.provider} ${r.route} · ${r.namespace} · mode ${r.mode}` +
        ` · request ${r.request_id}`,
    ),
    h("p", { class: "req-query" }, "Query: ", h("q", null, r.query || "—")),
    h("p", { class: "note" }, `Gate: ${r.decision} (${(r.gate_reasons || []).join(", ")})`),
    h("h4", null, `Injected (${injected.length})`),
    hbars(
      injected.map((m, i) => ({
        label: `${i + 1}. ${short(m.preview ?? m.id, 11)}`,
        value: m.score,
        cls: "c0",
      })),
      { label: "injected memory scores", max: 1 },
    ),
    h(
      "ol",
      { class: "req-list" },
      injected.map((m) =>
        h(
          "li",
          { class: "req-injected" },
          memoryLink(m),
          h("span", { class: "meta" }, ` score ${num(m.score)} · ${channelText(m.channels)}`),
        )
      ),
    ),
    out.length
      ? [
        h("h4", null, `Gated out (${out.length})`),
        h(
          "ul",
          { class: "req-list" },
          out.map((m) =>
            h(
              "li",
              { class: "req-gated" },
              memoryLink(m),
              h(
                "span",
                { class: "meta" },
                ` score ${num(m.score)} · ${REASONS[m.reason] || m.reason}: ${m.detail}`,
              ),
            )
          ),
        ),
      ]
      : h("p", { class: "note" }, "No other candidates were recalled."),
  );
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

function explainForm(out) {
  const q = h("input", { type: "search", name: "prompt", required: true, autocomplete: "off" });
  const ns = select(namespaceOptions(false), primaryNamespace(), { name: "namespace" });
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
  return form;
}

function perMemory(items) {
  if (!items.length) {
    return h("p", { class: "empty" }, "The proxy has not injected any memory yet.");
  }
  return [
    figure(
      "Injections per memory (most recent first)",
      hbars(
        items.slice(0, 10).map((i) => ({ label: short(i.preview, 14), value: i.injection_count })),
        { label: "injection counts" },
      ),
    ),
    h(
      "ol",
      { class: "rows per-memory" },
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
  ];
}

/** Injections: recent proxied requests, injections per memory, explain, recent activity. */
export async function activityView(root) {
  const inj = await get("/v1/dashboard/injections?limit=20");
  const requests = inj.requests || [];
  const out = h("div", { class: "results", "aria-live": "polite" });
  const form = explainForm(out);
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
      "What the proxy put into prompts recently and why. The request log lives in the server's " +
        "memory only (the last 200 requests that injected something, secrets redacted, gone on " +
        "restart); use Explain below for any other prompt.",
    ),
    h("h3", null, "Recent proxied requests"),
    requests.length ? h("ol", { class: "rows requests" }, requests.map(requestItem)) : h(
      "p",
      { class: "empty" },
      "No proxied request has injected memories since the server started.",
    ),
    h("h3", null, "Injections per memory"),
    perMemory(inj.injections),
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
