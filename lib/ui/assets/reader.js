// The reader view of a checked bundle/passport/history (the server's ReaderDocument):
// verdict, integrity, trust, problems, then the memories and timeline, all as text.
import { dl, fmtTime, h, textRow } from "./dom.js";

function issues(title, list, cls) {
  if (!list || !list.length) return null;
  return [
    h("h4", null, `${title} (${list.length})`),
    h(
      "ul",
      { class: `issues ${cls}` },
      list.map((i) => h("li", null, typeof i === "string" ? i : i.message || JSON.stringify(i))),
    ),
  ];
}

/** Render a ReaderDocument `{kind, ok, errors, warnings, integrity, preview, memories, …}`. */
export function readerDoc(doc) {
  const t = doc.trust;
  const p = doc.preview || {};
  const scal = Object.entries(p)
    .filter(([k, v]) =>
      k !== "kind" && (v === null || ["string", "number", "boolean"].includes(typeof v))
    )
    .slice(0, 12)
    .map(([k, v]) => [k, v === null ? "—" : String(v)]);
  return h(
    "div",
    { class: "reader" },
    h(
      "p",
      { class: `verdict ${doc.ok ? "ok" : "bad"}` },
      doc.ok ? "✓ Verified: " : "✗ Not valid: ",
      `${doc.kind} — ${
        doc.ok ? "parses, matches its schema and its integrity hash" : "see the problems below"
      }`,
    ),
    dl([
      ["kind", doc.kind],
      doc.integrity ? ["stored hash", doc.integrity.stored ?? "none"] : null,
      doc.integrity ? ["computed hash", doc.integrity.computed] : null,
      [
        "trust",
        t
          ? `${t.status}${t.verified ? " (signature verified)" : ""} — ${t.reason}`
          : "no signature / no trust decision",
      ],
      ...scal,
    ]),
    issues("Errors", doc.errors, "bad"),
    issues("Warnings", doc.warnings, "warn"),
    h("h4", null, `${(doc.memories || []).length} memories`),
    h(
      "ol",
      { class: "rows" },
      (doc.memories || []).slice(0, 500).map((m) =>
        textRow(m.content, [
          m.status + (m.archived ? " (archived)" : ""),
          m.memory_type,
          fmtTime(m.created_at),
          m.tags && m.tags.length ? `tags: ${m.tags.join(", ")}` : null,
          m.superseded_by ? `superseded by ${m.superseded_by}` : null,
        ])
      ),
    ),
    doc.timeline && doc.timeline.length
      ? [
        h("h4", null, "Timeline"),
        h(
          "ol",
          { class: "timeline" },
          doc.timeline.map((e) =>
            h("li", null, h("strong", null, e.kind), ` ${fmtTime(e.at)} · ${e.summary}`)
          ),
        ),
      ]
      : null,
  );
}
