/**
 * The exact-value parts of the injected `<memory_context>` (memoryOSS §3.5), which come before
 * the `<task_state>` (or the summaries): `<exact_value_hint>` when the query asks for an exact
 * value or the runtime contract, `<runtime_contract>` (contract id, version, what exports
 * carry) for runtime-contract queries, and up to three `<exact_fact>` sentences taken from the
 * injected memories: sentences that match the query's identifiers, route terms or focus terms
 * and hold a literal (`/v1/`, a file name, `_`, a version-like token…), at most 220 characters.
 * The texts and word lists are memoryOSS's, so the same query and memories give the same bytes.
 *
 * @module
 */
import { extractIdentifiers, STOPWORDS } from "../recall/mod.ts";
import {
  RUNTIME_CONTRACT_ID,
  RUNTIME_CONTRACT_VERSION,
  structuralDuplicates,
} from "../memory/mod.ts";

/** memoryOSS's `<exact_value_hint>` block, byte for byte. */
export const EXACT_VALUE_HINT = "<exact_value_hint>When the user asks for an identifier, " +
  "version, contract name, endpoint, path, env var, hash, or carried field, copy the exact " +
  "value verbatim from &lt;runtime_contract&gt; or &lt;exact_fact&gt; blocks. Do not " +
  "shorten, rename, or paraphrase exact identifiers.</exact_value_hint>\n";

function xml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The `<runtime_contract>` block: this runtime's contract id and version, and what exports
 * carry.
 *
 * @example
 * ```ts
 * runtimeContractBlock().startsWith("<runtime_contract>\n<contract_id>memoryoss.runtime.v1alpha1");
 * ```
 */
export function runtimeContractBlock(): string {
  return `<runtime_contract>\n<contract_id>${xml(RUNTIME_CONTRACT_ID)}</contract_id>\n` +
    `<version>${xml(RUNTIME_CONTRACT_VERSION)}</version>\n` +
    "<export_carries>runtime_contract metadata with contract_id, version, document_route, " +
    "stable_semantics, and experimental_layers_excluded.</export_carries>\n</runtime_contract>\n";
}

/** Lowercase; keep letters, digits, `_`, `/`, `.` and whitespace; the rest become spaces. */
function padded(query: string): string {
  return ` ${query.toLowerCase().replace(/[^\p{L}\p{N}_/.\s]/gu, " ")} `;
}

const EXACT_WORDS = [
  "exact",
  "verbatim",
  "version",
  "contract",
  "contract id",
  "identifier",
  "endpoint",
  "path",
  "env var",
  "env vars",
  "variable",
  "route",
  "sha",
  "hash",
  "carries",
  "carry",
  "metadata",
];

/** True when the query asks for an exact value (a version, endpoint, path, hash, …). */
export function exactValueQuery(query: string): boolean {
  const p = padded(query);
  return EXACT_WORDS.some((w) => p.includes(` ${w} `));
}

/** True when the query asks about the runtime contract (its id, version or what exports carry). */
export function runtimeContractQuery(query: string): boolean {
  const p = padded(query);
  const has = (w: string) => p.includes(` ${w} `);
  const about = has("runtime contract") || has("contract id") || has("runtime_contract") ||
    (has("contract") && has("version"));
  return about && (has("export") || has("version") || has("carry") || has("carries") ||
    has("expose") || has("exposed") || p.includes(" expose"));
}

/** Route kind words (memoryOSS §4.1 step 3). */
const ROUTE_WORDS: Record<string, string[]> = {
  path: ["path", "file", "config", "binary", "directory", "location"],
  endpoint: ["endpoint", "route", "url", "api"],
  env_var: ["env", "variable", "export"],
  branch_pattern: ["branch"],
  commit: ["commit", "sha", "revision", "hash"],
  contract: ["runtime", "contract", "version", "schema", "semantics"],
  policy: [
    "policy",
    "rule",
    "preference",
    "convention",
    "canonical",
    "source of truth",
    "required",
    "never",
    "must",
  ],
};

/** The identifier route of a query: its identifiers, matched kind words and focus terms. */
export interface IdentifierRoute {
  identifiers: string[];
  matched_terms: string[];
  focus_terms: string[];
}

/**
 * The query's identifier route, or null when it names no identifier and no kind word.
 *
 * @example
 * ```ts
 * identifierRoute("which endpoint serves recall?")?.matched_terms; // ["endpoint"]
 * ```
 */
export function identifierRoute(query: string): IdentifierRoute | null {
  const identifiers = extractIdentifiers(query).map((i) => i.text);
  const p = ` ${query.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, " ").replace(/\s+/g, " ")} `;
  const matched = new Set<string>();
  for (const words of Object.values(ROUTE_WORDS)) {
    for (const w of words) if (p.includes(` ${w} `)) matched.add(w);
  }
  if (identifiers.length === 0 && matched.size === 0) return null;
  const focus = new Set<string>();
  for (const w of p.trim().split(" ")) {
    if ([...w].length >= 5 && !matched.has(w) && !STOPWORDS.has(w)) focus.add(w);
  }
  return { identifiers, matched_terms: [...matched].sort(), focus_terms: [...focus] };
}

function sentenceMatches(s: string, route: IdentifierRoute | null, contract: boolean): boolean {
  const low = s.toLowerCase();
  if (
    contract && [
      "runtime contract",
      "contract id",
      "contract_id",
      "runtime_contract",
      "version",
      "portable export",
      "runtime contract metadata",
      "stable semantics",
      "experimental_layers_excluded",
      "document_route",
    ].some((n) => low.includes(n))
  ) return true;
  if (!route) return false;
  if (route.identifiers.some((i) => i.length >= 3 && low.includes(i.toLowerCase()))) return true;
  const long = (t: string) => new TextEncoder().encode(t).length >= 4 && low.includes(t);
  return route.matched_terms.some(long) || route.focus_terms.some(long);
}

const LITERALS = [
  "/v1/",
  "/proxy/",
  "http://",
  "https://",
  "runtime_contract",
  "contract_id",
  "document_route",
  "stable_semantics",
  "experimental_layers_excluded",
  "memoryoss.runtime.",
  ".rs",
  ".toml",
  ".json",
  ".yaml",
  ".yml",
  "_",
];

/** True when a sentence holds a literal worth copying (a route, file, `_` name, version…). */
export function hasExactLiteral(s: string): boolean {
  const low = s.toLowerCase();
  if (LITERALS.some((l) => low.includes(l))) return true;
  return s.split(/[^A-Za-z0-9._-]/).some((t) =>
    t.length >= 6 && /\d/.test(t) && (t.includes(".") || (t.match(/-/g)?.length ?? 0) >= 2)
  );
}

/** One `<exact_fact>`: its sentence and the memory it came from. */
export interface ExactFact {
  memory_id: string;
  fact: string;
}

/**
 * Up to three exact facts for `query` from `memories` (best first); none unless the query
 * asks for an exact value or the runtime contract.
 *
 * @example
 * ```ts
 * exactFacts([{ id: "m", content: "Recall is served at /v1/recall." }], "which endpoint exactly?");
 * // [{ memory_id: "m", fact: "Recall is served at /v1/recall." }]
 * ```
 */
export function exactFacts(
  memories: { id: string; content: string }[],
  query: string,
): ExactFact[] {
  const contract = runtimeContractQuery(query);
  if (!contract && !exactValueQuery(query)) return [];
  const route = identifierRoute(query);
  const out: ExactFact[] = [];
  for (const m of memories) {
    const sentences = m.content.split(/[.!?\n]/).map((s) => s.trim()).filter((s) => s);
    for (const s of sentences) {
      if (!sentenceMatches(s, route, contract)) continue;
      if (!contract && !hasExactLiteral(s)) continue;
      const chars = [...s];
      let fact = chars.length > 220 ? chars.slice(0, 220).join("") + "..." : s;
      if (!fact.endsWith(".")) fact += ".";
      if (out.some((f) => structuralDuplicates(f.fact, fact))) continue;
      out.push({ memory_id: m.id, fact });
      if (out.length >= 3) return out;
    }
  }
  return out;
}

/** The `<exact_fact>` line of one fact. */
export function exactFactXml(f: ExactFact): string {
  return `<exact_fact>${xml(f.fact)}</exact_fact>\n`;
}
