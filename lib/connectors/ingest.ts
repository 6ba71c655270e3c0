/**
 * Ambient connectors (memoryOSS §2.5): signals from an editor, terminal, browser, docs,
 * tickets, calendar, pull requests or incidents become review-queue candidates, never active
 * memories. Content is `"<Label> signal: <summary>"` (plus ` Evidence: a | b`), tagged
 * `ambient-capture`, `connector:<kind>`, `client:ambient_mesh` and `source_ref:<ref>`, stored
 * as a candidate with confidence 0.15 and provenance `ambient-connector:<kind>`. The summary and
 * each evidence item count as one line each: one that may hold a secret is replaced whole by
 * `[REDACTED: contains <pattern>]` unless the caller opts out (`redact_sensitive: false`).
 *
 * @module
 */
import { z } from "zod";
import { MemoryossError } from "../errors/mod.ts";
import { redactSensitive } from "../extract/mod.ts";
import type { StoreInput, StoreResult } from "../memory/mod.ts";

/** One connector as `GET /v1/connectors` lists it. */
export interface ConnectorInfo {
  kind: string;
  label: string;
  description: string;
  enabled_by_default: false;
  redact_sensitive_by_default: true;
  capture_raw_by_default: false;
}

const KINDS: [string, string, string][] = [
  ["editor", "Editor", "Decisions and fixes noticed while editing code."],
  ["terminal", "Terminal", "Commands, failures and workarounds from a shell session."],
  ["browser", "Browser", "Facts read on web pages worth remembering."],
  ["docs", "Docs", "Statements from internal documentation."],
  ["ticket", "Ticket", "Decisions and constraints from issue trackers."],
  ["calendar", "Calendar", "Deadlines and meetings that shape the work."],
  ["pull_request", "Pull request", "Review outcomes and merged decisions."],
  ["incident", "Incident", "Causes, mitigations and follow-ups from incidents."],
];
const ALIASES: Record<string, string> = {
  tickets: "ticket",
  "pull-request": "pull_request",
  pr: "pull_request",
  incidents: "incident",
};

/** Kinds and their aliases, as accepted by {@link connectorKind}. */
export const CONNECTOR_KINDS = [...KINDS.map(([k]) => k), ...Object.keys(ALIASES)];

/**
 * The connector list: every kind, off by default, redacting by default.
 *
 * @example
 * ```ts
 * connectorCatalog().connectors.length; // 8
 * ```
 */
export function connectorCatalog() {
  const connectors: ConnectorInfo[] = KINDS.map(([kind, label, description]) => ({
    kind,
    label,
    description,
    enabled_by_default: false,
    redact_sensitive_by_default: true,
    capture_raw_by_default: false,
  }));
  return {
    connectors,
    ingest_path: "/v1/connectors/ingest",
    review_queue_path: "/v1/admin/review-queue",
  };
}

/**
 * A connector kind from its name or alias; INVALID_INPUT lists the kinds.
 *
 * @example
 * ```ts
 * connectorKind("pr"); // "pull_request"
 * ```
 */
export function connectorKind(name: string): string {
  const k = name.trim().toLowerCase();
  const kind = ALIASES[k] ?? k;
  if (!KINDS.some(([x]) => x === kind)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `unknown connector '${name}'; one of ${KINDS.map(([x]) => x).join(", ")}`,
      ["connector"],
    );
  }
  return kind;
}

/**
 * memoryOSS's `source_ref` tag value: lowercase alphanumerics, other runs collapsed to `_`,
 * at most 48 characters.
 *
 * @example
 * ```ts
 * sourceRefTag("JIRA-42 / Deploy"); // "jira_42_deploy"
 * ```
 */
export function sourceRefTag(ref: string): string {
  return ref.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 48)
    .replace(/_+$/, "");
}

/** A whole line naming a bearer credential goes too (memoryOSS's connector list). */
function redact(text: string): string {
  return redactSensitive(text).split("\n").map((line) =>
    line.toLowerCase().includes("bearer ") ? "[REDACTED: contains bearer ]" : line
  ).join("\n");
}

/** `POST /v1/connectors/ingest` body (memoryOSS field names). */
export const ConnectorIngestSchema = z.strictObject({
  connector: z.string().min(1),
  summary: z.string().trim().min(1, "summary must not be empty").max(4000),
  evidence: z.array(z.string().min(1).max(2000)).max(20).default([]),
  tags: z.array(z.string().min(1).max(256)).max(20).default([]),
  source_ref: z.string().min(1).max(512).optional(),
  namespace: z.string().min(1).optional(),
  redact_sensitive: z.boolean().default(true),
  dry_run: z.boolean().default(false),
});
export type ConnectorIngestInput = z.infer<typeof ConnectorIngestSchema>;

/** The ingest answer. */
export interface ConnectorIngestResult {
  dry_run: boolean;
  source: string;
  review_key?: string;
  id?: string;
  outcome?: string;
  preview: {
    connector: string;
    source: string;
    preview: string;
    tags: string[];
    provenance: string[];
    evidence_count: number;
    redacted: boolean;
  };
}

/**
 * Builds the candidate of a connector signal and, unless `dry_run`, stores it with `store`
 * (the caller's write path: the server's queue, the CLI's runtime).
 *
 * @example
 * ```ts
 * await ingestConnector(input, "proj", (inputs, key) => queue.store(inputs, { sourceKey: key }));
 * ```
 */
export async function ingestConnector(
  input: ConnectorIngestInput,
  namespace: string,
  store: (inputs: StoreInput[], sourceKey: string) => Promise<StoreResult[]>,
): Promise<ConnectorIngestResult> {
  const kind = connectorKind(input.connector);
  const label = KINDS.find(([k]) => k === kind)![1];
  const source = `ambient-connector:${kind}`;
  // Each part is a line of its own: a secret in one evidence item costs only that item.
  const clean = (t: string) => {
    const line = t.replace(/\s+/g, " ").trim();
    return input.redact_sensitive ? redact(line) : line;
  };
  const evidence = input.evidence.map(clean).filter(Boolean);
  let content = `${label} signal: ${clean(input.summary)}`;
  if (evidence.length) content += ` Evidence: ${evidence.join(" | ")}`;
  const redacted = /\[REDACTED: contains /.test(content);
  const ref = input.source_ref ? sourceRefTag(input.source_ref) : "";
  const tags = [
    ...new Set([
      "ambient-capture",
      `connector:${kind}`,
      "client:ambient_mesh",
      ...(ref ? [`source_ref:${ref}`] : []),
      ...input.tags,
    ]),
  ];
  const preview = {
    connector: kind,
    source,
    preview: content.length > 160 ? `${content.slice(0, 160)}...` : content,
    tags,
    provenance: [source, ...(ref ? [`source_ref:${ref}`] : [])],
    evidence_count: evidence.length,
    redacted,
  };
  if (input.dry_run) return { dry_run: true, source, preview };
  const [r] = await store([{
    content,
    tags,
    namespace,
    status: "candidate",
    confidence: 0.15,
    metadata: { connector: { kind, evidence_count: evidence.length, source_ref: ref || null } },
  }], source);
  return {
    dry_run: false,
    source,
    review_key: `review:${r.id}`,
    id: r.id,
    outcome: r.outcome,
    preview,
  };
}
