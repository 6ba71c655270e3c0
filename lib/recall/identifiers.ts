/**
 * Identifier extraction for the exact channel (memoryOSS §4.2 "GrepRAG"): quoted strings, URLs,
 * emails, UUIDs, paths, versions, hostnames and dotted names, env vars, commit hashes, ticket
 * ids, and snake/camel/kebab identifiers.
 */

/** An identifier found in a query with how specific it is. */
export interface Identifier {
  text: string;
  kind:
    | "quoted"
    | "url"
    | "email"
    | "uuid"
    | "path"
    | "env_var"
    | "branch"
    | "hex"
    | "version"
    | "host"
    | "ticket"
    | "symbol";
  /** Multiplier for exact-channel scores: rarer shapes weigh more. */
  specificity: number;
}

const QUOTED = /"([^"]{2,})"|'([^']{2,})'|`([^`]{2,})`/g;

const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?";
/** Two or more dot-separated labels ("node-5.example.internal", "api.v2.billing"). */
const DOTTED = new RegExp(`^${LABEL}(?:\\.${LABEL})+$`);
const FILE_EXT =
  /\.(ts|tsx|js|mjs|rs|go|py|rb|java|toml|json|md|yaml|yml|sql|sh|conf|cfg|ini|env|lock|txt|log|html|css)$/i;

type Rule = [Identifier["kind"], number, (t: string) => boolean];

/** Shapes in order: the first that fits names the kind. */
const RULES: Rule[] = [
  ["url", 1.65, (t) => /^https?:\/\//i.test(t) || t.includes("/v1/")],
  ["email", 1.6, (t) => /^[\w.+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(t)],
  ["uuid", 1.6, (t) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t)],
  ["branch", 1.35, (t) => /^(feat|fix|chore|release|hotfix)\//.test(t)],
  ["path", 1.5, (t) => t.startsWith("/") || t.startsWith("~/") || FILE_EXT.test(t)],
  [
    "version",
    1.4,
    (t) => /^v\d+(\.\d+)*([-+][\w.]+)?$/i.test(t) || /^\d+(\.\d+){2,}([-+][\w.]+)?$/.test(t),
  ],
  ["env_var", 1.45, (t) => /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(t) && t.length >= 6],
  ["hex", 1.5, (t) => /^[0-9a-f]{7,40}$/i.test(t) && /\d/.test(t) && /[a-f]/i.test(t)],
  // Hostnames and dotted names; "e.g" and "U.S" (all one-letter labels) are not.
  ["host", 1.45, (t) => {
    const host = t.replace(/:\d{1,5}$/, "");
    return DOTTED.test(host) && host.split(".").some((l) => l.length > 1);
  }],
  // Ticket ids: ENG-142, JIRA-1234, #4521.
  ["ticket", 1.35, (t) => /^[A-Z][A-Z0-9]*-\d+$/.test(t) || /^#\d+$/.test(t)],
  [
    "symbol",
    1.0,
    (t) =>
      t.includes("/") || t.includes("::") || t.includes("_") || /[a-z][A-Z]/.test(t) ||
      /^[A-Za-z0-9]+(-[A-Za-z0-9]+)+$/.test(t) && /[a-z]-[a-z0-9]/i.test(t),
  ],
  // Codes such as E0425.
  ["symbol", 1.2, (t) => /^[A-Za-z]+\d+[A-Za-z\d]*$/.test(t)],
];

/** Classify one token; returns null when it is an ordinary word. */
function classify(token: string): Identifier | null {
  // Trim sentence punctuation, keeping what starts an identifier (/ . $ # ~ -).
  const t = token.replace(/^[^\w/.$#~-]+|[^\w/]+$/g, "");
  if (t.length < 3) return null;
  for (const [kind, specificity, fits] of RULES) {
    if (fits(t)) return { text: t, kind, specificity };
  }
  return null;
}

/**
 * Identifiers in a query, deduplicated, in order of appearance.
 *
 * @example
 * ```ts
 * extractIdentifiers("where is MEMORYOSS_HOME read in lib/config/home.ts?").map((i) => i.kind);
 * // ["env_var", "path"]
 * ```
 */
export function extractIdentifiers(query: string): Identifier[] {
  const out: Identifier[] = [];
  const seen = new Set<string>();
  const push = (id: Identifier) => {
    const key = id.text.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(id);
    }
  };
  for (const m of query.matchAll(QUOTED)) {
    const text = (m[1] ?? m[2] ?? m[3]).trim();
    if (text.length >= 2) push(classify(text) ?? { text, kind: "quoted", specificity: 1.2 });
  }
  const unquoted = query.replace(QUOTED, " ");
  for (const token of unquoted.split(/[\s,;()]+/)) {
    const id = classify(token);
    if (id) push(id);
  }
  return out;
}

/**
 * True when the query is nothing but identifiers ("7c1e9a4f2b3d", "dbbox40 `db-1.internal`"):
 * no word is left to embed, so a vector ranking of it means nothing (vector mode falls back,
 * lib/memory/recall.ts).
 *
 * @example
 * ```ts
 * identifierOnly("7c1e9a4f2b3d"); // true
 * identifierOnly("which change touched 7c1e9a4f2b3d?"); // false
 * ```
 */
export function identifierOnly(query: string): boolean {
  const ids = extractIdentifiers(query);
  if (ids.length === 0) return false;
  let rest = query.replace(QUOTED, " ");
  for (const id of ids) rest = rest.split(id.text).join(" ");
  return !/[\p{L}\p{N}]/u.test(rest);
}
