/** Helpers for portability tests: homes with chosen records, and the CLI entry as a child. */
import { loadConfig } from "../../lib/config/mod.ts";
import { openRuntime, type Runtime, type RuntimeOptions } from "../../lib/memory/mod.ts";
import { writeRecords } from "../../lib/memory/records_io.ts";
import { contentHash, type MemoryRecord, newRecord } from "../../lib/store/mod.ts";

// The real entry point: commands go through main.ts, permission narrowing included.
const ENTRY = new URL("../../main.ts", import.meta.url).pathname;
const dec = new TextDecoder();

/** A fresh temp folder, removed on dispose. */
export async function tempDir(
  prefix = "memoryoss-port-",
): Promise<{ path: string; [Symbol.asyncDispose](): Promise<void> }> {
  const path = await Deno.makeTempDir({ prefix });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** Open the runtime of `home` (created when missing); close it when done. */
export async function openHome(home: string, opts: RuntimeOptions = {}): Promise<Runtime> {
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  return await openRuntime(loaded, opts);
}

/** Run `fn` with the runtime of `home`, closing it afterwards. */
export async function withHomeRuntime<T>(
  home: string,
  fn: (rt: Runtime) => Promise<T> | T,
  opts: RuntimeOptions = {},
): Promise<T> {
  const rt = await openHome(home, opts);
  try {
    return await fn(rt);
  } finally {
    rt.close();
  }
}

/** A record with the given fields and a correct content hash. */
export async function record(
  fields: Pick<MemoryRecord, "id" | "content" | "namespace" | "created_at"> & Partial<MemoryRecord>,
): Promise<MemoryRecord> {
  return newRecord({ content_hash: await contentHash(fields.content), ...fields });
}

/** Insert records as given. */
export async function seed(rt: Runtime, records: MemoryRecord[]): Promise<void> {
  await writeRecords(rt, { insert: records });
}

/** What one CLI run produced. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  // deno-lint-ignore no-explicit-any
  json(): any;
}

/**
 * Runs `memoryoss <args>` through the test entry with MEMORYOSS_HOME=home. `perms` replaces
 * the default `-A` (e.g. `["--allow-read"]` for the reader).
 */
export async function run(
  home: string,
  args: string[],
  o: { perms?: string[]; env?: Record<string, string>; cwd?: string } = {},
): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", ...(o.perms ?? ["-A"]), ENTRY, ...args],
    env: { MEMORYOSS_HOME: home, NO_COLOR: "1", ...o.env },
    cwd: o.cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = dec.decode(out.stdout);
  const stderr = dec.decode(out.stderr);
  return {
    code: out.code,
    stdout,
    stderr,
    json() {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(`not JSON (exit ${out.code}):\n${stdout}\n--- stderr ---\n${stderr}`);
      }
    },
  };
}

/** A one-line description of a run for assertion messages. */
export const show = (r: Run) => `exit ${r.code}\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

/** Stable ids for {@link richRecords}. */
export const IDS = {
  a: "0195a000-0000-7000-8000-00000000000a",
  b: "0195a000-0000-7000-8000-00000000000b",
  c: "0195a000-0000-7000-8000-00000000000c",
  d: "0195a000-0000-7000-8000-00000000000d",
  e: "0195a000-0000-7000-8000-00000000000e",
  f: "0195a000-0000-7000-8000-00000000000f",
  g: "0195a000-0000-7000-8000-000000000010",
  h: "0195a000-0000-7000-8000-000000000011",
};

const t = (day: number, hour = 9) =>
  new Date(Date.UTC(2026, 2, day, hour, 0, 0, 123)).toISOString();

/**
 * Records covering every portable field: categories and metadata, review events, a
 * superseded pair, a contested pair, derived lineage, a personal candidate, an archived
 * source, non-ASCII text and a planted `<script>`.
 */
export async function richRecords(namespace = "proj"): Promise<MemoryRecord[]> {
  const ev = (day: number, action: "confirm" | "reject" | "supersede", extra = {}) => ({
    at: t(day, 12),
    actor: "operator",
    action,
    via: "review_queue",
    ...extra,
  });
  return [
    await record({
      id: IDS.a,
      namespace,
      content: "Deploy only after staging signoff; café ☕ naïve résumé 𝄞.",
      created_at: t(1),
      updated_at: t(2),
      tags: ["deploy", "policy"],
      category: "decision",
      metadata: { ticket: "OPS-1", nested: { list: [1, 2.5, "x"] } },
      confidence: 1,
      version: 3,
      evidence_count: 2,
      last_verified_at: t(2),
      review_events: [ev(2, "confirm", { queue_kind: "candidate" })],
    }),
    await record({
      id: IDS.b,
      namespace,
      content: "Releases ship on Fridays at noon.",
      created_at: t(3),
      updated_at: t(5),
      tags: ["project"],
      status: "stale",
      superseded_by: IDS.c,
      version: 2,
      review_events: [ev(5, "supersede", { queue_kind: "contested", superseded_by: IDS.c })],
    }),
    await record({
      id: IDS.c,
      namespace,
      content: "Releases ship on Tuesdays after the code freeze.",
      created_at: t(4),
      updated_at: t(4),
      tags: ["project", "deploy"],
      source_key: "key_demo_1234",
    }),
    await record({
      id: IDS.d,
      namespace,
      content: "Consolidated: staging signoff gates every deploy <script>alert(1)</script>.",
      created_at: t(6),
      updated_at: t(6),
      tags: ["decision"],
      derived_from: [IDS.a, IDS.h],
      memory_type: "procedural",
      category: "insight",
    }),
    await record({
      id: IDS.e,
      namespace,
      content: "The cache layer is enabled in production.",
      created_at: t(7),
      updated_at: t(8),
      status: "contested",
      contradicts_with: [IDS.f],
      confidence: 0.6,
    }),
    await record({
      id: IDS.f,
      namespace,
      content: "The cache layer is disabled in production.",
      created_at: t(8),
      updated_at: t(8),
      status: "contested",
      contradicts_with: [IDS.e],
    }),
    await record({
      id: IDS.g,
      namespace,
      content: "Prefers terse answers with code first.",
      created_at: t(9),
      updated_at: t(9),
      tags: ["preference"],
      agent: "claude-code",
      session: "sess-42",
      status: "candidate",
      confidence: 0.35,
      evidence_count: 0,
      memory_type: "episodic",
      category: "preference",
    }),
    await record({
      id: IDS.h,
      namespace,
      content: "Old note: staging signoff needed.",
      created_at: t(0, 20),
      updated_at: t(6),
      archived: true,
      status: "stale",
    }),
  ];
}

/** The fields a portable round trip must keep exactly. */
export const LOSSLESS_FIELDS = [
  "id",
  "content",
  "tags",
  "agent",
  "session",
  "memory_type",
  "status",
  "version",
  "created_at",
  "updated_at",
  "source_key",
  "content_hash",
  "archived",
  "confidence",
  "evidence_count",
  "last_verified_at",
  "superseded_by",
  "derived_from",
  "contradicts_with",
  "review_events",
  "category",
  "metadata",
] as const;

/** The lossless fields of a record, for deepEqual. */
export function portable(r: MemoryRecord): Record<string, unknown> {
  return Object.fromEntries(LOSSLESS_FIELDS.map((k) => [k, r[k]]));
}
