/**
 * Named entities without an LLM: capitalised names (Dana Whitfield, Fernhill Animal Clinic,
 * Miso), identifiers (env vars, paths, snake_case, camelCase, kebab-case, codes), versions and
 * hostnames. Deterministic, so an edge built today is rebuilt identically tomorrow.
 */
import { extractIdentifiers, STOPWORDS } from "../recall/mod.ts";

/** One entity: `key` (lowercased, what edges match on) and the surface text. */
export interface Entity {
  key: string;
  text: string;
  kind: "name" | "identifier" | "version" | "host";
}

/**
 * Capitalised words that start sentences or are ordinary words in titles; never names on
 * their own. A sentence-initial word is a name only when it is not one of these and does not
 * look like an inflected verb ("Moved", "Running").
 */
const NOT_NAMES = new Set(
  ("user users new old initial first last next today yesterday tomorrow now then after before " +
    "during since because also always never every each all some most many no not only once " +
    "back found moved raised kept added changed fixed removed made decided agreed booked " +
    "deploy deploys run running set keep prefer prefers switched switch use using calling " +
    "example examples note notes rule rules table tables keyword search embeddings " +
    "monday tuesday wednesday thursday friday saturday sunday dr mr ms mrs " +
    "january february march april may june july august september october november december " +
    "api http https json sql cli ui ok yes")
    .split(/\s+/),
);

const NAME_RUN = /\b[A-Z][\p{L}'’-]*(?:\s+(?:of|de|van|von|da)?\s*[A-Z][\p{L}'’-]*)*/gu;
const VERSION = /\bv\d+(?:\.\d+){0,2}\b|\b\d+\.\d+\.\d+\b/g;
const HOST =
  /\b(?:[a-z0-9-]+\.)+(?:com|io|dev|net|org|app|internal|local|lan|cloud|ai)(?:\/[\w./-]*)?/gi;

/** Strip a possessive and stray punctuation from a name. */
function cleanName(s: string): string {
  return s.replace(/['’]s$/u, "").replace(/[-'’]+$/u, "").trim();
}

function isSentenceStart(text: string, index: number): boolean {
  const before = text.slice(0, index).trimEnd();
  return before === "" || /[.!?:;—–("]$/.test(before);
}

/** Capitalised names in `text`. */
function names(text: string): Entity[] {
  const out: Entity[] = [];
  for (const m of text.matchAll(NAME_RUN)) {
    let parts = m[0].split(/\s+/).filter(Boolean);
    // "Kicked off" / "The Bouldering Project": drop a sentence-initial ordinary word.
    if (isSentenceStart(text, m.index!) && parts.length > 0) {
      const first = cleanName(parts[0]).toLowerCase();
      if (
        NOT_NAMES.has(first) || STOPWORDS.has(first) || /(?:ed|ing|ly|es)$/.test(first) ||
        parts.length === 1 && /s$/.test(first)
      ) {
        parts = parts.slice(1);
      }
    }
    const name = cleanName(parts.join(" "));
    if (name.length < 3) continue;
    const key = name.toLowerCase();
    if (NOT_NAMES.has(key) || STOPWORDS.has(key)) continue;
    // All-caps words are codes or acronyms; the identifier pass decides on those.
    if (/^[A-Z0-9_]+$/.test(name)) continue;
    out.push({ key, text: name, kind: "name" });
  }
  return out;
}

/**
 * The entities of a memory, deduplicated by key, in order of appearance, at most `max`.
 *
 * @example
 * ```ts
 * extractEntities("Priya owns billing-api; it reads MEMORYOSS_HOME.").map((e) => e.key);
 * // ["priya", "billing-api", "memoryoss_home"]
 * ```
 */
export function extractEntities(text: string, max = 10): Entity[] {
  const found: { at: number; e: Entity }[] = [];
  const at = (s: string) => Math.max(0, text.indexOf(s));
  for (const e of names(text)) found.push({ at: at(e.text), e });
  for (const id of extractIdentifiers(text)) {
    if (id.kind === "quoted") continue;
    const t = id.text.replace(/[.:]+$/, "");
    // Hyphenated ordinary words ("pre-production", "well-known") are not things.
    if (id.kind === "symbol" && /^[a-z]+(-[a-z]+)+$/.test(t) && !/-(api|ui|worker|db)$/.test(t)) {
      continue;
    }
    found.push({ at: at(t), e: { key: t.toLowerCase(), text: t, kind: "identifier" } });
  }
  for (const m of text.matchAll(VERSION)) {
    found.push({ at: m.index!, e: { key: m[0].toLowerCase(), text: m[0], kind: "version" } });
  }
  for (const m of text.matchAll(HOST)) {
    found.push({ at: m.index!, e: { key: m[0].toLowerCase(), text: m[0], kind: "host" } });
  }
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const out: Entity[] = [];
  for (const { e } of found) {
    if (seen.has(e.key) || e.key.length < 3) continue;
    seen.add(e.key);
    out.push(e);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * True when `text` mentions the entity as a whole word. Names must keep their capital ("Node
 * 20" is not "an etcd node"); identifiers match case-insensitively.
 */
export function mentions(text: string, e: Entity): boolean {
  const hay = e.kind === "name" ? text : text.toLowerCase();
  const needle = e.kind === "name" ? e.text : e.key;
  let from = 0;
  while (true) {
    const i = hay.indexOf(needle, from);
    if (i < 0) return false;
    const before = i === 0 ? "" : hay[i - 1];
    const after = hay[i + needle.length] ?? "";
    if (!/[\p{L}\p{N}_]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) return true;
    from = i + 1;
  }
}
