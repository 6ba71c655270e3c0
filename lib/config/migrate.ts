/**
 * `memoryoss config migrate`: a config in memoryOSS's spelling rewritten in ours, with a
 * comment header saying what moved and what was left out and why.
 */
import { stringify } from "smol-toml";
import { type CompatNote, fromMemoryossSpelling } from "./compat.ts";
import { checkConfig, parseTomlText } from "./parse.ts";
import { redactSecrets } from "./redact.ts";

/** Options for {@link migrateConfigText}. */
export interface MigrateOptions {
  /** Print secrets in clear (default: masked as `***`). */
  showSecrets?: boolean;
}

/**
 * The equivalent config in our spelling. Throws INVALID_CONFIG (naming the key) when the
 * input would not load.
 *
 * @example
 * ```ts
 * migrateConfigText('[storage]\ndata_dir = "data"\n', "x.toml").toml;
 * // '# … \n[storage]\npath = "data/memoryoss.db"\n'
 * ```
 */
export function migrateConfigText(
  text: string,
  source: string,
  opts: MigrateOptions = {},
): { toml: string; notes: CompatNote[] } {
  const raw = parseTomlText(text, source);
  checkConfig(raw, source); // refuse what would not load, with the key's own path
  const { raw: ours, notes } = fromMemoryossSpelling(raw, source);
  const table = opts.showSecrets ? ours : redactSecrets(ours);
  const body = stringify(table as Record<string, unknown>);
  return { toml: `${header(source, notes)}${body.trimEnd()}\n`, notes };
}

function header(source: string, notes: CompatNote[]): string {
  const lines = [`# memoryoss.toml, migrated from ${source} (memoryoss config migrate).`];
  const mapped = notes.filter((n) => n.kind === "mapped");
  const ignored = notes.filter((n) => n.kind === "ignored");
  const matches = notes.filter((n) => n.kind === "matches");
  if (mapped.length) {
    lines.push("# Renamed:");
    for (const n of mapped) lines.push(`#   ${n.key} -> ${n.to}`);
  }
  if (ignored.length) {
    lines.push("# Left out, no effect in memoryoss:");
    for (const n of ignored) lines.push(`#   ${n.key}: ${n.why}`);
  }
  if (matches.length) {
    lines.push("# Left out, memoryoss already behaves so:");
    for (const n of matches) lines.push(`#   ${n.key}`);
  }
  return `${lines.join("\n")}\n\n`;
}
