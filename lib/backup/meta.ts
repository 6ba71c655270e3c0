/**
 * `backup-meta.json`, the entry memoryOSS writes into every backup archive after the `data/`
 * tree: `{version, created_at, data_dir, key_included}`. memoryOSS builds it as a JSON object
 * whose keys serialize sorted and pretty-prints it (two spaces, no final newline) with
 * `created_at` in RFC 3339 with a `+00:00` offset; we write it the same way, and read it from
 * archives memoryOSS made (which carry no `backup-manifest.json`).
 *
 * @module
 */
import { z } from "zod";

/** The entry's name, at the archive's top level. */
export const META_NAME = "backup-meta.json";
/** memoryOSS writes the entry with this mode. */
export const META_MODE = 0o644;

/** The four fields memoryOSS writes (readers ignore others). */
export const BackupMeta = z.object({
  version: z.string(),
  created_at: z.string(),
  data_dir: z.string(),
  key_included: z.boolean(),
});
export type BackupMeta = z.infer<typeof BackupMeta>;

/**
 * A UTC time as memoryOSS's `to_rfc3339()` prints it: `+00:00`, and fractional seconds only
 * when there are any (milliseconds here, the precision a `Date` holds).
 *
 * @example
 * ```ts
 * rfc3339(new Date("2026-03-13T08:09:10.250Z")); // "2026-03-13T08:09:10.250+00:00"
 * rfc3339(new Date("2026-03-13T08:09:10Z")); // "2026-03-13T08:09:10+00:00"
 * ```
 */
export function rfc3339(d: Date): string {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const ms = d.getUTCMilliseconds();
  return (ms === 0 ? iso.slice(0, 19) : iso.slice(0, 23)) + "+00:00";
}

/**
 * The entry's bytes: keys in sorted order, two-space indent, no final newline.
 *
 * @example
 * ```ts
 * backupMetaText({ version: "0.1.0", created_at: "…", data_dir: "/h", key_included: false });
 * ```
 */
export function backupMetaText(m: BackupMeta): string {
  const sorted = {
    created_at: m.created_at,
    data_dir: m.data_dir,
    key_included: m.key_included,
    version: m.version,
  };
  return JSON.stringify(sorted, null, 2);
}

/**
 * Parses the entry's text; returns the problem instead of throwing.
 *
 * @example
 * ```ts
 * parseBackupMeta('{"version":"0.2.0"}').ok; // false (created_at missing)
 * ```
 */
export function parseBackupMeta(
  text: string,
): { ok: true; meta: BackupMeta } | { ok: false; problem: string } {
  const r = parseEntry(BackupMeta, META_NAME, text);
  return r.ok ? { ok: true, meta: r.value } : r;
}

/**
 * An archive entry's JSON text checked against `schema`; the problem (naming the entry and the
 * first failing path) instead of throwing.
 */
export function parseEntry<T>(
  schema: z.ZodType<T>,
  name: string,
  text: string,
): { ok: true; value: T } | { ok: false; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problem: `${name} is not JSON` };
  }
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const i = r.error.issues[0];
  return { ok: false, problem: `${name}: ${i.path.join(".") || "(top)"}: ${i.message}` };
}
