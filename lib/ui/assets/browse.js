// Browse: list memories by namespace, category, status, tag and time, newest first, paged.
import { get, qs } from "./api.js";
import { clear, field, fmtTime, h, select, short, showError } from "./dom.js";
import { namespaceOptions, primaryNamespace } from "./state.js";

const PAGE = 50;
const CATEGORIES = ["preference", "decision", "fact", "insight", "context"];
const STATUSES = ["candidate", "active", "contested", "stale"];
const f = {
  namespace: "",
  category: "",
  status: "",
  tag: "",
  after: "",
  before: "",
  order: "newest",
  offset: 0,
};

/** A memory as a row of a list: text links to the detail view. */
export function memoryRow(m) {
  const link = h("a", { href: `#memory/${encodeURIComponent(m.id)}` });
  link.textContent = short(m.content, 200);
  return h(
    "li",
    { class: "row-item" },
    link,
    h(
      "p",
      { class: "meta" },
      h("span", { class: "badge" }, m.namespace),
      " ",
      h(
        "span",
        { class: `badge st-${m.archived ? "archived" : m.status}` },
        m.archived ? "archived" : m.status,
      ),
      m.category ? ` · ${m.category}` : "",
      m.tags && m.tags.length ? ` · tags: ${m.tags.join(", ")}` : "",
      ` · ${fmtTime(m.created_at)}`,
    ),
  );
}

/** The browse view. */
export function browseView(root) {
  if (!f.namespace) f.namespace = primaryNamespace();
  const ns = select(namespaceOptions(false), f.namespace, { name: "namespace" });
  const cat = select([["", "Any"], ...CATEGORIES.map((c) => [c, c])], f.category, {
    name: "category",
  });
  const st = select(
    [["", "Any"], ...STATUSES.map((s) => [s, s]), ["archived", "archived"]],
    f.status,
    { name: "status" },
  );
  const tag = h("input", { type: "text", name: "tag", value: f.tag, autocomplete: "off" });
  const after = h("input", { type: "date", name: "after", value: f.after });
  const before = h("input", { type: "date", name: "before", value: f.before });
  const order = select([["newest", "Newest first"], ["oldest", "Oldest first"]], f.order, {
    name: "order",
  });
  const list = h("div", { class: "results", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "filters", "aria-label": "Filter memories" },
    field("Namespace", ns),
    field("Category", cat),
    field("Status", st),
    field("Tag", tag),
    field("Created after", after),
    field("Created before", before),
    field("Order", order),
    h("div", { class: "field" }, h("button", { type: "submit" }, "Apply")),
  );

  const load = async () => {
    const params = {
      namespace: f.namespace,
      category: f.category,
      tags: f.tag,
      after: f.after ? `${f.after}T00:00:00Z` : "",
      before: f.before ? `${f.before}T23:59:59Z` : "",
      order: f.order,
      limit: PAGE,
      offset: f.offset,
    };
    if (f.status === "archived") params.include_archived = "true";
    else if (f.status) {
      params.status = f.status;
      params.include_archived = "false";
    }
    try {
      const res = await get(`/v1/memories${qs(params)}`);
      let rows = res.memories;
      if (f.status === "archived") rows = rows.filter((m) => m.archived);
      const from = res.total ? f.offset + 1 : 0;
      const to = f.offset + res.memories.length;
      const nav = h(
        "div",
        { class: "row pager" },
        h("button", {
          type: "button",
          disabled: f.offset === 0,
          onclick: () => {
            f.offset = Math.max(0, f.offset - PAGE);
            load();
          },
        }, "Previous"),
        h("span", null, `${from}–${to} of ${res.total}`),
        h("button", {
          type: "button",
          disabled: to >= res.total,
          onclick: () => {
            f.offset += PAGE;
            load();
          },
        }, "Next"),
      );
      clear(
        list,
        rows.length
          ? h("ul", { class: "rows" }, rows.map(memoryRow))
          : h("p", { class: "empty" }, "No memories match these filters."),
        nav,
      );
    } catch (e) {
      showError(e);
    }
  };
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    Object.assign(f, {
      namespace: ns.value,
      category: cat.value,
      status: st.value,
      tag: tag.value.trim(),
      after: after.value,
      before: before.value,
      order: order.value,
      offset: 0,
    });
    load();
  });
  clear(root, h("h2", null, "Browse"), form, list);
  return load();
}
