/**
 * The offline reader (`memoryoss reader`): open any artifact (envelope, passport, history or
 * runtime contract) without a config, home or network, and render it or a diff as text or
 * JSON. HTML lives in `reader_html.ts`. Hostile input never crashes it, and text output
 * strips control characters so a memory cannot drive the terminal.
 *
 * @module
 */
import {
  type ArtifactDiff,
  artifactMemories,
  type ArtifactPreview,
  diffArtifacts,
  type MemorySummary,
  previewArtifact,
} from "./bundle_view.ts";
import { formatPath, isJsonObject, type JsonValue, toPlain, tryParseJson } from "./json.ts";
import {
  decideTrust,
  emptyFabric,
  type TrustDecision,
  type TrustFabric,
  type TrustKeys,
} from "./trust.ts";
import { verify } from "./verify.ts";

/** One located problem, with its path already formatted. */
export interface ReaderIssue {
  path: string;
  message: string;
}

/** Everything the reader shows about one artifact. */
export interface ReaderDocument {
  source: string;
  kind: string;
  /** Parses, matches its schema and its integrity hashes. */
  ok: boolean;
  errors: ReaderIssue[];
  warnings: ReaderIssue[];
  integrity: { stored: string | null; computed: string } | null;
  preview: ArtifactPreview | null;
  memories: MemorySummary[];
  edges: { from: string; to: string; kind: string }[];
  timeline: { at: string; memory_id: string; kind: string; summary: string }[];
  /**
   * The signature decision (valid for its key? trusted here?) of an envelope, or `unsigned` for
   * a bare passport or history; null for a runtime contract or an unreadable file.
   */
  trust: TrustDecision | null;
}

/**
 * Where trust comes from. Without it a signature is still checked against the key it carries,
 * but no key is trusted.
 */
export interface ReaderTrust {
  fabric: TrustFabric;
  keys?: TrustKeys;
}

/**
 * Parses and checks an artifact: integrity, and the signature decision. Never throws.
 *
 * @example
 * ```ts
 * const doc = await openArtifact("p.json", await Deno.readFile("p.json"));
 * doc.ok; // true
 * ```
 */
export async function openArtifact(
  source: string,
  input: string | Uint8Array,
  trust?: ReaderTrust,
): Promise<ReaderDocument> {
  const parsed = tryParseJson(input);
  if (!parsed.ok) {
    return {
      source,
      kind: "unknown",
      ok: false,
      errors: [{ path: formatPath(parsed.error.path), message: parsed.error.message }],
      warnings: [],
      integrity: null,
      preview: null,
      memories: [],
      edges: [],
      timeline: [],
      trust: null,
    };
  }
  return await openTree(source, parsed.value, trust);
}

/**
 * {@link openArtifact} for an already parsed tree.
 *
 * @example
 * ```ts
 * const doc = await openTree("request.bundle", parseJson(text), trust);
 * ```
 */
export async function openTree(
  source: string,
  tree: JsonValue,
  trust?: ReaderTrust,
): Promise<ReaderDocument> {
  const v = verify(tree);
  const issues = (xs: { path: (string | number)[]; message: string }[]) =>
    xs.map((i) => ({ path: formatPath(i.path), message: i.message }));
  const signed = v.kind === "bundle" || v.kind === "passport" || v.kind === "history";
  return {
    source,
    kind: v.kind,
    ok: v.ok,
    errors: issues(v.errors),
    warnings: issues(v.warnings),
    integrity: v.integrity ?? null,
    preview: v.kind === "unknown" ? null : previewArtifact(tree, v),
    memories: artifactMemories(tree),
    edges: listOf(tree, "edges") as ReaderDocument["edges"],
    timeline: listOf(tree, "timeline") as ReaderDocument["timeline"],
    trust: signed
      ? await decideTrust(tree, trust?.fabric ?? emptyFabric(), trust?.keys ?? {})
      : null,
  };
}

/** A history's edges or timeline as plain objects (empty when absent or malformed). */
function listOf(tree: JsonValue, key: string): Record<string, unknown>[] {
  const inner = isJsonObject(tree) && tree.has("payload") ? tree.get("payload")! : tree;
  const list = isJsonObject(inner) ? inner.get(key) : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter(isJsonObject).map((x) => toPlain(x) as Record<string, unknown>);
}

/**
 * Text safe for a terminal: control characters (ESC, BEL, CR, C1…) become spaces.
 *
 * @example
 * ```ts
 * safeText("a\u001b[31mb"); // "a [31mb"
 * ```
 */
export function safeText(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ");
}

const oneLine = (s: string, n: number) => {
  const t = safeText(s).replace(/\s+/g, " ").trim();
  return t.length > n ? t.slice(0, n - 1) + "…" : t;
};

/**
 * A one-line description of a trust decision: status, signer, the identity holding the key,
 * where trust comes from, whether the signature verifies, and why.
 *
 * @example
 * ```ts
 * trustLine(decision);
 * // "trusted device:3f9a0c1d2e4b5a69 as device:laptop (local_pin, signature valid): …"
 * ```
 */
export function trustLine(t: TrustDecision | null): string {
  if (!t) return "not checked (nothing signed)";
  const signer = t.signature?.signer;
  const as = t.identity && t.identity !== signer ? ` as ${oneLine(t.identity, 80)}` : "";
  const who = signer ? ` ${oneLine(signer, 80)}${as}` : "";
  const sig = t.signature_valid === true
    ? "signature valid"
    : t.signature_valid === false
    ? "SIGNATURE DOES NOT VERIFY"
    : "signature not checked";
  return `${t.status}${who} (${t.origin}, ${sig}): ${oneLine(t.reason, 160)}`;
}

/**
 * The reader's text view.
 *
 * @example
 * ```ts
 * console.log(renderText(await openArtifact("p.json", text)));
 * ```
 */
export function renderText(doc: ReaderDocument): string {
  const p = doc.preview;
  const out = [
    `file        ${oneLine(doc.source, 200)}`,
    `kind        ${doc.kind}${p && doc.kind === "bundle" ? ` (${oneLine(p.kind, 20)})` : ""}`,
    `integrity   ${doc.ok ? "valid" : "INVALID"}`,
  ];
  if (doc.trust) out.push(`trust       ${trustLine(doc.trust)}`);
  if (p) {
    if (p.namespace !== null) {
      out.push(
        `namespace   ${oneLine(p.namespace, 128)}${
          p.scope ? `  scope ${oneLine(p.scope, 20)}` : ""
        }`,
      );
    }
    if (p.bundle_id) out.push(`id          ${oneLine(p.bundle_id, 64)}`);
    out.push(`memories    ${p.memory_count} (${p.visible_count} visible)`);
  }
  for (const e of doc.errors) {
    out.push(`error       ${oneLine(e.path, 80)}: ${oneLine(e.message, 200)}`);
  }
  for (const w of doc.warnings) {
    out.push(`warning     ${oneLine(w.path, 80)}: ${oneLine(w.message, 200)}`);
  }
  if (doc.memories.length) out.push("");
  for (const m of doc.memories) {
    const flags = [oneLine(m.status, 12), m.archived ? "archived" : ""].filter(Boolean).join(",");
    out.push(
      `[${flags}] ${oneLine(m.id, 40)}  ${oneLine(m.created_at.slice(0, 10), 10)}  ${
        oneLine(m.content, 120)
      }`,
    );
    if (m.tags.length) out.push(`    tags: ${oneLine(m.tags.join(", "), 160)}`);
    if (m.superseded_by) out.push(`    superseded by ${oneLine(m.superseded_by, 40)}`);
  }
  if (doc.edges.length) out.push("", "edges:");
  for (const e of doc.edges) {
    out.push(
      `  ${oneLine(String(e.from), 40)} -${oneLine(String(e.kind), 20)}-> ${
        oneLine(String(e.to), 40)
      }`,
    );
  }
  return out.join("\n");
}

/** A diff of two opened artifacts. */
export interface ReaderDiff {
  left: ReaderDocument;
  right: ReaderDocument;
  diff: ArtifactDiff;
}

/**
 * Opens both artifacts and compares them.
 *
 * @example
 * ```ts
 * const d = await diffDocuments("old.json", oldText, "new.json", newText);
 * d.diff.memories.added.length;
 * ```
 */
export async function diffDocuments(
  leftSource: string,
  left: string | Uint8Array,
  rightSource: string,
  right: string | Uint8Array,
  trust?: ReaderTrust,
): Promise<ReaderDiff> {
  const l = await openArtifact(leftSource, left, trust);
  const r = await openArtifact(rightSource, right, trust);
  const tree = (x: string | Uint8Array) => {
    const p = tryParseJson(x);
    return p.ok ? p.value : null;
  };
  return { left: l, right: r, diff: diffArtifacts(tree(left), tree(right)) };
}

/**
 * The text view of a diff.
 *
 * @example
 * ```ts
 * console.log(renderDiffText(d));
 * ```
 */
export function renderDiffText(d: ReaderDiff): string {
  const side = (doc: ReaderDocument) =>
    `${oneLine(doc.source, 120)}: ${doc.kind}, ${
      doc.ok ? "valid" : "INVALID"
    }, ${doc.memories.length} memories`;
  const out = [`left        ${side(d.left)}`, `right       ${side(d.right)}`];
  if (d.diff.changed_fields.length) out.push(`changed     ${d.diff.changed_fields.join(", ")}`);
  out.push(`shared      ${d.diff.shared_preview_count} contents`);
  for (const m of d.diff.memories.added) {
    out.push(`+ ${oneLine(m.id, 40)}  ${oneLine(m.content, 120)}`);
  }
  for (const m of d.diff.memories.removed) {
    out.push(`- ${oneLine(m.id, 40)}  ${oneLine(m.content, 120)}`);
  }
  for (const c of d.diff.memories.changed) {
    out.push(`~ ${oneLine(c.id, 40)}  ${c.fields.join(", ")}`);
    if (c.fields.includes("content")) {
      out.push(`    - ${oneLine(c.left.content, 120)}`, `    + ${oneLine(c.right.content, 120)}`);
    }
    if (c.fields.includes("status")) {
      out.push(`    status ${oneLine(c.left.status, 12)} → ${oneLine(c.right.status, 12)}`);
    }
  }
  return out.join("\n");
}
