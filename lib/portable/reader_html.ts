/**
 * The reader's HTML views: one self-contained page (inline CSS, no scripts, no external
 * assets) whose Content-Security-Policy forbids every fetch and script, and where every
 * piece of artifact text is escaped, so a planted `<script>` stays inert text.
 *
 * @module
 */
import type { MemorySummary } from "./bundle_view.ts";
import { type ReaderDiff, type ReaderDocument, trustLine } from "./reader.ts";

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<script>alert("x")</script>'); // "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
 * ```
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

const e = escapeHtml;

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:64rem;padding:0 1rem;color:#222}
h1{font-size:1.3rem}h2{font-size:1.05rem;margin-top:1.6rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}code,.id{font-family:ui-monospace,monospace;font-size:.85em}
.content{white-space:pre-wrap;word-break:break-word}
.ok{color:#17692b}.bad{color:#b00020}.warn{color:#8a5a00}
.add{background:#e9f7ec}.del{background:#fdecee}.chg{background:#fff8e1}
.tag{display:inline-block;background:#eef;border-radius:3px;padding:0 .3rem;margin:0 .2rem .2rem 0;font-size:.85em}
`;

/** The page shell: charset, a CSP that blocks scripts and every network fetch, inline CSS. */
function page(title: string, body: string): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${e(title)}</title><style>${STYLE}</style></head><body>`,
    body,
    "</body></html>",
    "",
  ].join("\n");
}

function status(ok: boolean): string {
  return ok ? '<span class="ok">valid</span>' : '<span class="bad">INVALID</span>';
}

function summaryRows(doc: ReaderDocument): string {
  const p = doc.preview;
  const rows: [string, string][] = [
    ["file", e(doc.source)],
    ["kind", e(doc.kind + (p && doc.kind === "bundle" ? ` (${p.kind})` : ""))],
    ["integrity", status(doc.ok)],
  ];
  if (doc.kind === "bundle") {
    const good = doc.trust?.status === "trusted";
    rows.push(["trust", `<span class="${good ? "ok" : "warn"}">${e(trustLine(doc.trust))}</span>`]);
  }
  if (p) {
    if (p.namespace !== null) rows.push(["namespace", e(p.namespace)]);
    if (p.scope) rows.push(["scope", e(p.scope)]);
    if (p.bundle_id) rows.push(["id", `<span class="id">${e(p.bundle_id)}</span>`]);
    rows.push(["memories", `${p.memory_count} (${p.visible_count} visible)`]);
  }
  return `<table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")}</table>`;
}

function issues(doc: ReaderDocument): string {
  const items = [
    ...doc.errors.map((i) => `<li class="bad"><code>${e(i.path)}</code>: ${e(i.message)}</li>`),
    ...doc.warnings.map((i) => `<li class="warn"><code>${e(i.path)}</code>: ${e(i.message)}</li>`),
  ];
  return items.length ? `<h2>Problems</h2><ul>${items.join("")}</ul>` : "";
}

function memoryRow(m: MemorySummary, cls = ""): string {
  const tags = m.tags.map((t) => `<span class="tag">${e(t)}</span>`).join("");
  return `<tr${cls ? ` class="${cls}"` : ""}><td class="id">${e(m.id)}</td>` +
    `<td>${e(m.status)}${m.archived ? ", archived" : ""}</td>` +
    `<td>${e(m.created_at)}</td><td class="content">${e(m.content)}<div>${tags}</div></td></tr>`;
}

const MEMORY_HEAD = "<tr><th>id</th><th>status</th><th>created</th><th>content</th></tr>";

/**
 * The reader's HTML page for one artifact.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile("p.html", renderHtml(await openArtifact("p.json", text)));
 * ```
 */
export function renderHtml(doc: ReaderDocument): string {
  const parts = [`<h1>memoryoss reader: ${e(doc.source)}</h1>`, summaryRows(doc), issues(doc)];
  if (doc.memories.length) {
    parts.push(
      "<h2>Memories</h2>",
      `<table>${MEMORY_HEAD}${doc.memories.map((m) => memoryRow(m)).join("")}</table>`,
    );
  }
  if (doc.edges.length) {
    const rows = doc.edges.map((x) =>
      `<tr><td class="id">${e(String(x.from))}</td><td>${e(String(x.kind))}</td>` +
      `<td class="id">${e(String(x.to))}</td></tr>`
    );
    parts.push("<h2>Lineage</h2>", `<table>${rows.join("")}</table>`);
  }
  if (doc.timeline.length) {
    const rows = doc.timeline.map((x) =>
      `<tr><td>${e(String(x.at))}</td><td>${e(String(x.kind))}</td>` +
      `<td class="id">${e(String(x.memory_id))}</td><td>${e(String(x.summary))}</td></tr>`
    );
    parts.push("<h2>Timeline</h2>", `<table>${rows.join("")}</table>`);
  }
  return page(`memoryoss reader: ${doc.source}`, parts.join("\n"));
}

/**
 * The reader's HTML page for a diff: both headers, then added, removed and changed memories.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile("diff.html", renderDiffHtml(d));
 * ```
 */
export function renderDiffHtml(d: ReaderDiff): string {
  const m = d.diff.memories;
  const parts = [
    `<h1>memoryoss reader diff</h1>`,
    `<h2>Old: ${e(d.left.source)}</h2>`,
    summaryRows(d.left),
    issues(d.left),
    `<h2>New: ${e(d.right.source)}</h2>`,
    summaryRows(d.right),
    issues(d.right),
    "<h2>Changes</h2>",
    `<p>${m.added.length} added, ${m.removed.length} removed, ${m.changed.length} changed, ` +
    `${d.diff.shared_preview_count} unchanged contents` +
    (d.diff.changed_fields.length
      ? `; header fields changed: ${e(d.diff.changed_fields.join(", "))}`
      : "") +
    "</p>",
  ];
  const rows = [
    ...m.added.map((x) => memoryRow(x, "add")),
    ...m.removed.map((x) => memoryRow(x, "del")),
  ];
  for (const c of m.changed) {
    rows.push(
      `<tr class="chg"><td class="id">${e(c.id)}</td><td colspan="3">changed: ${
        e(c.fields.join(", "))
      }</td></tr>`,
      memoryRow(c.left, "del"),
      memoryRow(c.right, "add"),
    );
  }
  if (rows.length) parts.push(`<table>${MEMORY_HEAD}${rows.join("")}</table>`);
  return page("memoryoss reader diff", parts.join("\n"));
}
