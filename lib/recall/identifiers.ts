/**
 * Identifier extraction for the exact channel: quoted strings, paths, URLs, snake_case,
 * camelCase, kebab-case, env vars and hex ids (memoryOSS §4.2 "GrepRAG").
 */

/** An identifier found in a query with how specific it is. */
export interface Identifier {
  text: string;
  kind: "quoted" | "url" | "path" | "env_var" | "branch" | "hex" | "symbol";
  /** Multiplier for exact-channel scores: rarer shapes weigh more. */
  specificity: number;
}

const QUOTED = /"([^"]{2,})"|'([^']{2,})'|`([^`]{2,})`/g;

/** Classify one token; returns null when it is an ordinary word. */
function classify(token: string): Identifier | null {
  const t = token.replace(/^[^\w/.$-]+|[^\w/]+$/g, "");
  if (t.length < 3) return null;
  if (/^https?:\/\//i.test(t) || t.includes("/v1/")) {
    return { text: t, kind: "url", specificity: 1.65 };
  }
  if (/^(feat|fix|chore|release|hotfix)\//.test(t)) {
    return { text: t, kind: "branch", specificity: 1.35 };
  }
  if (t.startsWith("/") || /\.(ts|rs|toml|json|md|py|js|yaml|yml|sql)$/.test(t)) {
    return { text: t, kind: "path", specificity: 1.5 };
  }
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(t) && t.length >= 6) {
    return { text: t, kind: "env_var", specificity: 1.45 };
  }
  if (/^[0-9a-f]{7,40}$/i.test(t) && /\d/.test(t) && /[a-f]/i.test(t)) {
    return { text: t, kind: "hex", specificity: 1.5 };
  }
  if (
    t.includes("/") || t.includes("::") || t.includes("_") ||
    /[a-z][A-Z]/.test(t) || /^[A-Za-z0-9]+(-[A-Za-z0-9]+)+$/.test(t) && /[a-z]-[a-z0-9]/i.test(t)
  ) {
    return { text: t, kind: "symbol", specificity: 1.0 };
  }
  if (/^[A-Z]+-?\d+$/.test(t) || /^[A-Za-z]+\d+[A-Za-z\d]*$/.test(t) && /\d/.test(t)) {
    // Ticket ids and codes such as ENG-142 or E0425.
    return { text: t, kind: "symbol", specificity: 1.2 };
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
