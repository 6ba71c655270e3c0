// The review queue: candidates and contested memories, confirmed, rejected or superseded
// with buttons or the keyboard (j/k or arrows to move, c confirm, r reject, s supersede,
// o or Enter to open).
import { get, post, qs } from "./api.js";
import { announce, clear, field, h, select, showError } from "./dom.js";
import { can, go, namespaceOptions, session } from "./state.js";

const state = { namespace: "", index: 0 };

async function loadQueue(namespace) {
  const names = namespace ? [namespace] : session.namespaces;
  const all = await Promise.all(
    names.map((ns) => get(`/v1/admin/review-queue${qs({ namespace: ns, limit: 100 })}`)),
  );
  return all.flatMap((q) => q.items.map((i) => ({ ...i, namespace: q.namespace })));
}

async function act(item, action, replacement) {
  const body = { review_key: item.review_key, action, namespace: item.namespace };
  if (replacement) body.supersede_with_review_key = replacement;
  const r = await post("/v1/admin/review/action", body);
  const verb = { confirm: "Confirmed", reject: "Rejected", supersede: "Superseded" }[action];
  announce(`${verb}: now ${r.memory.status}.`);
}

function supersedeChoice(item) {
  const opts = item.replacement_options || [];
  if (!opts.length) return null;
  return opts[0].review_key;
}

const KEYS = [
  [["j", "↓"], "next"],
  [["k", "↑"], "previous"],
  [["Home", "End"], "first / last"],
  [["c"], "confirm"],
  [["r"], "reject"],
  [["s"], "supersede"],
  [["o", "Enter"], "open"],
];

/** The keyboard shortcuts, listed on the page (and the queue's description). */
function shortcuts() {
  return h(
    "div",
    { class: "lead keys", id: "review-keys" },
    h("p", null, "Keyboard, on a focused queue item (Tab to the queue):"),
    h(
      "ul",
      { class: "keylist" },
      KEYS.map(([keys, what]) =>
        h("li", null, keys.map((k, i) => [i ? " / " : "", h("kbd", null, k)]), ` ${what}`)
      ),
    ),
  );
}

/** The review view (admin keys). */
export async function reviewView(root) {
  if (!can("admin")) {
    clear(
      root,
      h("h2", null, "Review"),
      h("p", { class: "empty" }, "The review queue needs an admin key."),
    );
    return;
  }
  const ns = select(namespaceOptions(true), state.namespace, { name: "namespace" });
  const list = h("ol", {
    class: "queue",
    "aria-label": "Review queue",
    "aria-describedby": "review-keys",
  });
  const summary = h("p", { class: "count", "aria-live": "polite" });
  let items = [];

  const focusItem = (i) => {
    const lis = list.querySelectorAll("li.q-item");
    if (!lis.length) return;
    state.index = Math.max(0, Math.min(lis.length - 1, i));
    lis.forEach((li, j) => (li.tabIndex = j === state.index ? 0 : -1));
    lis[state.index].focus();
  };

  const run = async (item, action) => {
    let replacement;
    if (action === "supersede") {
      replacement = supersedeChoice(item);
      if (!replacement) {
        announce("Nothing to supersede it with: no related memory in its namespace.", "error");
        return;
      }
    }
    try {
      await act(item, action, replacement);
      await refresh(true);
    } catch (e) {
      showError(e);
    }
  };

  const itemEl = (item, i) => {
    const opts = item.replacement_options || [];
    const li = h(
      "li",
      { class: "q-item", tabindex: i === state.index ? 0 : -1, dataset: { id: item.id } },
      h("p", { class: "q-text" }, item.preview),
      h(
        "p",
        { class: "meta" },
        h("span", { class: "badge" }, item.namespace),
        " ",
        h("span", { class: `badge st-${item.status}` }, item.queue_kind),
        ` · suggested: ${item.suggested_action}`,
        ` · trust ${Number(item.trust_score).toFixed(2)}`,
        item.tags.length ? ` · tags: ${item.tags.join(", ")}` : "",
      ),
      opts.length ? h("p", { class: "meta" }, `Supersede with: ${opts[0].preview}`) : null,
      h(
        "div",
        { class: "row" },
        h("button", { type: "button", onclick: () => run(item, "confirm") }, "Confirm (c)"),
        h("button", { type: "button", onclick: () => run(item, "reject") }, "Reject (r)"),
        h("button", {
          type: "button",
          disabled: !opts.length,
          onclick: () => run(item, "supersede"),
        }, "Supersede (s)"),
        h("a", { href: `#memory/${encodeURIComponent(item.id)}` }, "Open (o)"),
      ),
    );
    li.addEventListener("focus", () => (state.index = i));
    return li;
  };

  async function refresh(keepFocus) {
    items = await loadQueue(state.namespace);
    // Keep exactly one item in the tab order, also after the last one was acted on.
    state.index = Math.max(0, Math.min(state.index, items.length - 1));
    clear(list, items.map(itemEl));
    summary.textContent = items.length
      ? `${items.length} item${items.length === 1 ? "" : "s"} waiting for review.`
      : "The review queue is empty.";
    if (keepFocus && items.length) focusItem(state.index);
  }

  list.addEventListener("keydown", (ev) => {
    if (ev.target.closest("button, a") && (ev.key === "Enter" || ev.key === " ")) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const item = items[state.index];
    const k = ev.key;
    if (k === "j" || k === "ArrowDown") focusItem(state.index + 1);
    else if (k === "k" || k === "ArrowUp") focusItem(state.index - 1);
    else if (k === "Home") focusItem(0);
    else if (k === "End") focusItem(items.length - 1);
    else if (item && k === "c") run(item, "confirm");
    else if (item && k === "r") run(item, "reject");
    else if (item && k === "s") run(item, "supersede");
    else if (item && (k === "o" || k === "Enter")) go(`#memory/${encodeURIComponent(item.id)}`);
    else return;
    ev.preventDefault();
  });
  ns.addEventListener("change", () => {
    state.namespace = ns.value;
    state.index = 0;
    refresh(false).catch(showError);
  });
  clear(
    root,
    h("h2", null, "Review"),
    shortcuts(),
    h("div", { class: "filters" }, field("Namespace", ns)),
    summary,
    list,
  );
  await refresh(false);
}
