// Search: hybrid recall across the namespaces the key may see, with the per-channel score
// breakdown (vector, bm25, exact identifiers, recency) of each hit.
import { post } from "./api.js";
import { hbars } from "./charts.js";
import { announce, clear, field, h, select, short, showError } from "./dom.js";
import { namespaceOptions, session } from "./state.js";

const last = { query: "", namespace: "", limit: 10, results: null };

/** Recall `query` in each namespace (in parallel) and merge by score. */
async function searchAll(query, namespaces, limit) {
  const answers = await Promise.allSettled(
    namespaces.map((ns) => post("/v1/recall", { query, namespace: ns, limit, explain: true })),
  );
  const hits = [];
  const failed = [];
  answers.forEach((a, i) => {
    if (a.status !== "fulfilled") return failed.push(`${namespaces[i]} (${a.reason.message})`);
    for (const m of a.value.memories) {
      hits.push({ ...m.memory, score: m.score, provenance: m.provenance, explain: m.explain });
    }
  });
  hits.sort((a, b) => b.score - a.score);
  return { hits: hits.slice(0, limit), failed };
}

/** One search hit: text, where it lives, why it ranked. */
export function hitItem(m) {
  const ch = (m.explain && m.explain.channels) || {};
  const link = h("a", { href: `#memory/${encodeURIComponent(m.id)}`, class: "hit-link" });
  link.textContent = short(m.content, 220);
  return h(
    "li",
    { class: "hit" },
    h("div", { class: "hit-main" }, link),
    h(
      "p",
      { class: "meta" },
      h("span", { class: "badge" }, m.namespace),
      " ",
      h("span", { class: `badge st-${m.status}` }, m.status),
      " score ",
      h("strong", null, m.score.toFixed(3)),
      m.tags && m.tags.length ? ` · tags: ${m.tags.join(", ")}` : "",
      m.provenance && m.provenance.length ? ` · matched by ${m.provenance.join(", ")}` : "",
    ),
    h(
      "div",
      { class: "breakdown" },
      hbars([
        { label: "vector", value: ch.vector ?? 0, cls: "c0" },
        { label: "bm25", value: ch.fts ?? 0, cls: "c1" },
        { label: "exact", value: ch.exact ?? 0, cls: "c2" },
        { label: "recency", value: ch.recency ?? 0, cls: "c3" },
      ], { label: `score breakdown for result in ${m.namespace}`, max: 1 }),
    ),
  );
}

/** The search view. */
export function searchView(root) {
  const q = h("input", {
    type: "search",
    name: "q",
    required: true,
    value: last.query,
    placeholder: "when can we deploy?",
    autocomplete: "off",
  });
  const ns = select(namespaceOptions(true), last.namespace, { name: "namespace" });
  const limit = select(
    [["5", "5"], ["10", "10"], ["20", "20"], ["50", "50"]],
    String(last.limit),
    { name: "limit" },
  );
  const results = h("div", { class: "results", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "searchbar", role: "search", "aria-label": "Search memories" },
    field("Query", q),
    field("Namespace", ns),
    field("Results", limit),
    h("div", { class: "field" }, h("button", { type: "submit" }, "Search")),
  );
  const render = () => {
    if (!last.results) return clear(results);
    const { hits, failed } = last.results;
    clear(
      results,
      h(
        "p",
        { class: "count" },
        `${hits.length} result${hits.length === 1 ? "" : "s"} for “${last.query}”`,
      ),
      failed.length ? h("p", { class: "error" }, `Not searched: ${failed.join("; ")}`) : null,
      hits.length
        ? h("ol", { class: "hits" }, hits.map(hitItem))
        : h("p", { class: "empty" }, "No memory matched. Try other words, or browse."),
    );
  };
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    last.query = q.value.trim();
    last.namespace = ns.value;
    last.limit = Number(limit.value);
    if (!last.query) return;
    const targets = last.namespace ? [last.namespace] : session.namespaces.slice(0, 25);
    announce("Searching…");
    try {
      last.results = await searchAll(last.query, targets, last.limit);
      render();
      announce(`${last.results.hits.length} results.`);
    } catch (e) {
      showError(e);
    }
  });
  clear(
    root,
    h("h2", null, "Search"),
    h(
      "p",
      { class: "lead" },
      "Hybrid recall over every namespace this key may see. Each result shows how much each " +
        "channel contributed.",
    ),
    form,
    results,
  );
  render();
  if (!last.query) q.focus();
}
