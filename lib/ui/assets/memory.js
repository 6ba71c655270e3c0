// One memory: content, details, provenance, lineage, history and graph neighbours, with
// edit, archive and forget (forget asks first).
import { get, isMissingRoute, post } from "./api.js";
import { graphChart } from "./charts.js";
import {
  announce,
  clear,
  confirmDialog,
  dl,
  field,
  fmtTime,
  h,
  select,
  short,
  showError,
} from "./dom.js";
import { can, go } from "./state.js";

const CATEGORIES = ["preference", "decision", "fact", "insight", "context"];
const STATUSES = ["candidate", "active", "contested", "stale"];

const link = (id, text) => h("a", { href: `#memory/${encodeURIComponent(id)}` }, text ?? id);
const ids = (list) =>
  list && list.length ? h("ul", { class: "inline" }, list.map((i) => h("li", null, link(i)))) : "—";

function editForm(m, done) {
  const content = h("textarea", { name: "content", rows: 5, required: true });
  content.value = m.content;
  const tags = h("input", { type: "text", name: "tags", value: m.tags.join(", ") });
  const cat = select([["", "none"], ...CATEGORIES.map((c) => [c, c])], m.category ?? "", {
    name: "category",
  });
  const st = select(STATUSES.map((s) => [s, s]), m.status, { name: "status" });
  const form = h(
    "form",
    { class: "edit", "aria-label": "Edit memory" },
    field("Content", content),
    field("Tags", tags, "Comma-separated"),
    field("Category", cat),
    field("Status", st),
    h(
      "div",
      { class: "row" },
      h("button", { type: "submit" }, "Save"),
      h("button", { type: "button", onclick: () => done(false) }, "Cancel"),
    ),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = { id: m.id, namespace: m.namespace };
    if (content.value !== m.content) body.content = content.value;
    const t = tags.value.split(",").map((s) => s.trim()).filter(Boolean);
    if (t.join(",") !== m.tags.join(",")) body.tags = t;
    if ((cat.value || null) !== m.category) body.category = cat.value || null;
    if (st.value !== m.status) body.status = st.value;
    try {
      const r = await post("/v1/update", body);
      announce(`Saved: version ${r.version}.`);
      done(true);
    } catch (e) {
      showError(e);
    }
  });
  return form;
}

async function historySection(m) {
  const box = h(
    "section",
    { class: "card", "aria-labelledby": "hist-h" },
    h("h3", { id: "hist-h" }, "History"),
  );
  try {
    const res = await get(`/v1/history/${encodeURIComponent(m.id)}`);
    const events = res.timeline || [];
    const decisions = res.decisions || [];
    box.append(
      events.length
        ? h(
          "ol",
          { class: "timeline" },
          events.map((e) =>
            h(
              "li",
              null,
              h("strong", null, e.kind),
              ` ${fmtTime(e.at)} · ${e.summary || ""}`,
              e.memory_id && e.memory_id !== m.id ? [" · ", link(e.memory_id, "related")] : "",
            )
          ),
        )
        : h("p", { class: "empty" }, `Version ${m.version}; no recorded events.`),
      decisions.length
        ? [
          h("h4", null, "Drain decisions"),
          h(
            "ul",
            { class: "timeline" },
            decisions.map((d) =>
              h(
                "li",
                null,
                h("strong", null, d.action),
                ` ${fmtTime(d.at)} (${d.source}): ${d.reason}`,
              )
            ),
          ),
        ]
        : null,
    );
  } catch (e) {
    if (!isMissingRoute(e) && e.status !== 404) throw e;
    const ev = m.review_events || [];
    box.append(
      h("p", { class: "note" }, "No history endpoint on this server: showing review events."),
      ev.length
        ? h(
          "ol",
          { class: "timeline" },
          ev.map((r) =>
            h(
              "li",
              null,
              h("strong", null, r.action),
              ` ${fmtTime(r.at)} · ${r.actor} via ${r.via}`,
            )
          ),
        )
        : h("p", { class: "empty" }, `Version ${m.version}; no review events yet.`),
    );
  }
  return box;
}

async function graphSection(m) {
  const box = h(
    "section",
    { class: "card", "aria-labelledby": "graph-h" },
    h("h3", { id: "graph-h" }, "Graph neighbours"),
  );
  try {
    const g = await get(`/v1/memories/${encodeURIComponent(m.id)}/graph`);
    const edges = g.edges || [];
    if (!edges.length) {
      box.append(h("p", { class: "empty" }, "No neighbours in the memory graph."));
      return box;
    }
    const other = (e) => (e.from === m.id ? e.to : e.from);
    box.append(
      graphChart(edges.map((e) => ({ kind: e.kind, weight: e.weight ?? 0, id: other(e) }))),
      h(
        "ul",
        { class: "rows" },
        edges.map((e) => {
          const n = e.neighbour || {};
          return h(
            "li",
            { class: "row-item" },
            h("span", { class: `badge k-${e.kind}` }, e.kind),
            " ",
            link(other(e), short(n.content || other(e), 140)),
            ` · weight ${Number(e.weight ?? 0).toFixed(2)}`,
          );
        }),
      ),
    );
  } catch (e) {
    if (!isMissingRoute(e) && e.status !== 404) throw e;
    box.append(h("p", { class: "empty" }, "No graph for this memory."));
  }
  return box;
}

/** The memory detail view for `id`. */
export async function memoryView(root, id) {
  const m = await get(`/v1/inspect/${encodeURIComponent(id)}`);
  const content = h("p", { class: "content", id: "memory-content" });
  content.textContent = m.content;
  const rerender = () => memoryView(root, id).catch(showError);
  const actions = h("div", { class: "row actions" });
  const editBox = h("div");
  if (can("writer")) {
    actions.append(
      h("button", {
        type: "button",
        onclick: () => {
          clear(editBox, editForm(m, (saved) => (saved ? rerender() : clear(editBox))));
          editBox.querySelector("textarea").focus();
        },
      }, "Edit"),
      h("button", {
        type: "button",
        onclick: async () => {
          try {
            await post("/v1/archive", { id: m.id, namespace: m.namespace, archived: !m.archived });
            announce(m.archived ? "Restored from the archive." : "Archived.");
            rerender();
          } catch (e) {
            showError(e);
          }
        },
      }, m.archived ? "Restore" : "Archive"),
    );
  }
  if (can("admin")) {
    actions.append(h("button", {
      type: "button",
      class: "danger",
      onclick: async () => {
        const ok = await confirmDialog(
          "Forget this memory?",
          `“${short(m.content, 120)}” will be deleted from ${m.namespace}. This cannot be undone.`,
          "Forget",
        );
        if (!ok) return announce("Nothing was forgotten.");
        try {
          const r = await post("/v1/forget", { namespace: m.namespace, ids: [m.id] });
          announce(r.deleted ? "Forgotten." : "It was already gone.", "info", { keep: true });
          go("#browse");
        } catch (e) {
          showError(e);
        }
      },
    }, "Forget…"));
  }
  const md = m.metadata || {};
  clear(
    root,
    h("p", { class: "crumbs" }, h("a", { href: "#browse" }, "Browse"), " / ", m.namespace),
    h("h2", null, "Memory"),
    content,
    actions,
    editBox,
    h(
      "div",
      { class: "grid2" },
      h(
        "section",
        { class: "card", "aria-labelledby": "det-h" },
        h("h3", { id: "det-h" }, "Details"),
        dl([
          ["id", m.id],
          ["namespace", m.namespace],
          ["status", m.archived ? `${m.status} (archived)` : m.status],
          ["type", m.memory_type],
          ["category", m.category],
          ["tags", m.tags.length ? m.tags.join(", ") : null],
          ["version", String(m.version)],
          ["created", fmtTime(m.created_at)],
          ["updated", fmtTime(m.updated_at)],
          ["confidence", m.confidence === null ? null : String(m.confidence)],
          ["trust", `${Number(m.trust_score).toFixed(2)}${m.low_trust ? " (low)" : ""}`],
          ["in injections", m.eligible_for_injection ? "eligible" : "not eligible"],
        ]),
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "prov-h" },
        h("h3", { id: "prov-h" }, "Provenance"),
        dl([
          ["source key", m.source_key],
          ["source", typeof md.source === "string" ? md.source : null],
          ["agent", m.agent],
          ["session", m.session],
          ["evidence", String(m.evidence_count)],
          ["embedding", m.has_embedding ? `${m.embedder_id} (${m.embedding_dim})` : "none"],
          ["injected", `${m.injection_count}× · last ${fmtTime(m.last_injected_at)}`],
          ["reused", `${m.reuse_count}×`],
          [
            "review",
            m.review_queue_kind
              ? `${m.review_queue_kind} · suggest ${m.suggested_review_action}`
              : null,
          ],
        ]),
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "lin-h" },
        h("h3", { id: "lin-h" }, "Lineage"),
        dl([
          ["derived from", ids(m.derived_from)],
          ["superseded by", m.superseded_by ? link(m.superseded_by) : null],
          ["contradicts", ids(m.contradicts_with)],
        ]),
      ),
    ),
  );
  const [hist, graph] = await Promise.all([historySection(m), graphSection(m)]);
  root.append(h("div", { class: "grid2" }, hist, graph));
}
