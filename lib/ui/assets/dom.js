// DOM helpers. Text always goes in through textContent / text nodes, never parsed as HTML, so
// memory content is shown literally whatever it contains.

/**
 * Build an element: `h("a", {href: "#x", class: "c", onclick: fn}, "text", child)`.
 * Attributes starting with "on" become listeners; `null`/`false` attributes are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k === "value") el.value = v;
    else if (k === "checked" || k === "selected" || k === "disabled" || k === "hidden") el[k] = !!v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replace an element's children. */
export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * Say something in the polite live region (and show it). With `keep`, the message survives
 * the one navigation the action is about to make (e.g. "Forgotten." and then Browse).
 */
export function announce(msg, kind = "info", { keep = false } = {}) {
  const s = document.getElementById("status");
  s.textContent = msg;
  s.dataset.kind = kind;
  if (keep) s.dataset.keep = "1";
  else delete s.dataset.keep;
}

/** On navigation: clear the status line, unless the action that navigated asked to keep it. */
export function navStatus() {
  const s = document.getElementById("status");
  if (s.dataset.keep) {
    delete s.dataset.keep;
    return;
  }
  s.textContent = "";
  s.dataset.kind = "info";
}

/** A date as "2026-11-23 14:05" in local time, or "—". */
export function fmtTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${
    p(d.getMinutes())
  }`;
}

/** Bytes as "1.2 MiB". */
export function fmtBytes(n) {
  if (n === null || n === undefined) return "—";
  const u = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let x = n;
  while (x >= 1024 && i < u.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x.toFixed(i ? 1 : 0)} ${u[i]}`;
}

/** A definition list from [label, value] pairs (values are text or nodes). */
export function dl(pairs, cls = "kv") {
  return h(
    "dl",
    { class: cls },
    pairs.filter(Boolean).map(([k, v]) => [h("dt", null, k), h("dd", null, v ?? "—")]),
  );
}

/** A list row: `text` as plain text, then a meta line of `meta`'s non-empty parts. */
export function textRow(text, meta) {
  const content = h("p", { class: "content" });
  content.textContent = text;
  return h(
    "li",
    { class: "row-item" },
    content,
    h("p", { class: "meta" }, meta.filter(Boolean).join(" · ")),
  );
}

/** A labelled form control: `field("Tags", input)`. */
export function field(label, control, hint) {
  if (!control.id) control.id = `f-${Math.random().toString(36).slice(2, 9)}`;
  return h(
    "div",
    { class: "field" },
    h("label", { for: control.id }, label),
    control,
    hint ? h("small", { class: "hint" }, hint) : null,
  );
}

/** A select with options [[value, label]]. */
export function select(options, value, attrs = {}) {
  return h(
    "select",
    attrs,
    options.map(([v, l]) => h("option", { value: v, selected: v === value }, l)),
  );
}

/** Ask for confirmation in the page's modal dialog; resolves true when confirmed. */
export function confirmDialog(title, text, okLabel = "Confirm") {
  const d = document.getElementById("confirm");
  document.getElementById("confirm-h").textContent = title;
  document.getElementById("confirm-text").textContent = text;
  const ok = document.getElementById("confirm-ok");
  const cancel = document.getElementById("confirm-cancel");
  ok.textContent = okLabel;
  const back = document.activeElement;
  return new Promise((resolve) => {
    const done = (v) => {
      ok.removeEventListener("click", onOk);
      cancel.removeEventListener("click", onCancel);
      d.removeEventListener("cancel", onCancel);
      if (d.open) d.close();
      if (back && back.focus) back.focus();
      resolve(v);
    };
    const onOk = () => done(true);
    const onCancel = (e) => {
      if (e) e.preventDefault();
      done(false);
    };
    ok.addEventListener("click", onOk);
    cancel.addEventListener("click", onCancel);
    d.addEventListener("cancel", onCancel);
    d.showModal();
    cancel.focus();
  });
}

/** Shorten text to n characters on one line. */
export function short(text, n = 160) {
  const one = String(text ?? "").replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

/** Put an error into the status region, in words a person can act on. */
export function showError(e) {
  const msg = e && e.status === 403
    ? `Not allowed: ${e.message}`
    : e && e.status === 401
    ? "The key was refused (unknown, expired or revoked). Sign in again."
    : `Error: ${e && e.message ? e.message : e}`;
  announce(msg, "error");
}
