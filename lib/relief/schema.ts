/**
 * The relief JSON contract, schema_version "1.0", as zod schemas (the single source of truth
 * for the wire types). Sizes are GB in snapshots and MB in deltas; deltas are signed.
 *
 * Memoria's fields (specs/memoria.md §3, issue 20) come first in each object and keep
 * Memoria's spelling and values: `mode` is "snapshot" | "memory_relief", `exit_status` is
 * "ok" | "partial" | "failure", `report.foreground_excluded` is the spared image name or null.
 * Everything else is our addition beside them (never in their place): `exit_code`, `trigger`,
 * `exclude_foreground`, `standby_by_priority_gb`, per-stage `errno`, `delta.commit_mb`, ….
 * The hand-written JSON Schema tests/fixtures/memoria/schema-1.0.json checks the Memoria part.
 *
 * @module
 */
import { z } from "zod";

const gb = z.number().nullable();
const mb = z.number().nullable();

/** One memory snapshot. */
export const SnapshotSchema = z.strictObject({
  taken_at: z.string(),
  total_gb: z.number(),
  available_gb: z.number(),
  used_pct: z.number().min(0).max(100),
  free_gb: gb,
  zeroed_gb: gb,
  cache_gb: gb,
  standby_gb: gb,
  /** Memoria's name: standby by priority 0-7, GB. */
  standby_by_priority: z.array(z.number()).length(8).nullable(),
  /** Ours (the same values), kept for earlier readers. */
  standby_by_priority_gb: z.array(z.number()).length(8).nullable(),
  modified_gb: gb,
  compressed_gb: gb,
  commit_used_gb: gb,
  commit_limit_gb: gb,
  commit_peak_gb: gb,
  pagefile_used_gb: gb,
  kernel_paged_gb: gb,
  kernel_nonpaged_gb: gb,
  handles: z.number().int().nullable(),
  processes: z.number().int().nullable(),
  threads: z.number().int().nullable(),
  pressure: z.strictObject({
    some_avg10: z.number(),
    some_avg60: z.number(),
    some_avg300: z.number(),
    full_avg10: z.number().nullable(),
    full_avg60: z.number().nullable(),
    full_avg300: z.number().nullable(),
  }).nullable(),
  pressure_level: z.string().nullable(),
  foreground_image: z.string().nullable(),
  /** field → why it is null (e.g. "requires_admin", "not_supported_os"). */
  unavailable: z.record(z.string(), z.string()),
});

/** Honest deltas: each list separately, so "moved" is never reported as "freed". */
export const DeltaSchema = z.strictObject({
  available_mb: z.number(),
  free_mb: mb,
  standby_mb: mb,
  modified_mb: mb,
  compressed_mb: mb,
  commit_mb: mb,
});

const STAGE_NAMES = [
  "process_trim",
  "global_ws_empty",
  "file_cache_trim",
  "combine_pages",
  "modified_flush",
  "standby_purge",
  "standby_priority0_purge",
  "registry_flush",
  "cgroup_reclaim",
  "system_reclaim",
  "compaction",
  "drop_caches",
  "self_trim",
] as const;
const STATUS = z.enum(["ok", "error", "skipped"]);
const TIER = z.enum(["safe", "standard", "aggressive"]);

/** One stage (specs/memoria.md §3.3). `freed_mb` is its signed Δavailable. */
export const StageSchema = z.strictObject({
  name: z.enum(STAGE_NAMES),
  status: STATUS,
  reason: z.string().nullable(),
  api: z.string(),
  ntstatus: z.string().regex(/^0x[0-9A-F]{8}$/).nullable(),
  errno: z.number().int().nullable(),
  requires_admin: z.boolean(),
  elapsed_ms: z.number().min(0),
  delta: DeltaSchema.nullable(),
  freed_mb: z.number().nullable(),
  note: z.string().nullable(),
});

/** One process the guard considered. */
export const ProcessTrimSchema = z.strictObject({
  pid: z.number().int(),
  image: z.string(),
  ws_before_mb: mb,
  ws_after_mb: mb,
  private_mb: mb,
  status: STATUS,
  reason: z.string().nullable(),
});

/** Memoria's exit_status strings; relief's process exit code is `exit_code` beside it. */
export const EXIT_STATUS = z.enum(["ok", "partial", "failure"]);
const EXIT_CODE = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);

/** What `relief --snap --json` prints: one snapshot, its fields at the top level. */
export const SnapshotReportSchema = z.strictObject({
  schema_version: z.literal("1.0"),
  mode: z.literal("snapshot"),
  exit_status: EXIT_STATUS,
  ...SnapshotSchema.shape,
  exit_code: EXIT_CODE,
  when: z.string(),
  platform: z.enum(["windows", "linux", "darwin"]),
  is_admin: z.boolean(),
  notes: z.array(z.string()),
});

/** The whole report printed by `relief --json` (one cleanup, by hand or by `relief auto`). */
export const ReportSchema = z.strictObject({
  schema_version: z.literal("1.0"),
  mode: z.literal("memory_relief"),
  exit_status: EXIT_STATUS,
  /** after.available − before.available in MB, signed (negative when memory refilled). */
  freed_mb: z.number(),
  /** Same as freed_mb (Memoria names both). */
  reclaimed_mb: z.number(),
  is_admin: z.boolean(),
  privileges: z.record(z.string(), z.string()),
  tier_requested: TIER,
  tier_effective: TIER,
  platform: z.enum(["windows", "linux", "darwin"]),
  /** Ours: the process exit code (0 ok, 1 partial, 2 failure, 3 invalid arguments). */
  exit_code: EXIT_CODE,
  /** Ours: "manual" (`relief`) or "auto" (`relief auto`). */
  trigger: z.enum(["manual", "auto"]),
  when: z.string(),
  dry_run: z.boolean(),
  before: SnapshotSchema,
  after: SnapshotSchema,
  settled: SnapshotSchema.nullable(),
  /** True when the per-process pass ran with its guard (whitelist, foreground, critical). */
  process_guard_run: z.boolean(),
  history_persisted: z.boolean(),
  report: z.strictObject({
    stages: z.array(StageSchema),
    process_trims: z.array(ProcessTrimSchema),
    /** Memoria: the spared foreground image (e.g. "chrome.exe"), or null when none was. */
    foreground_excluded: z.string().nullable(),
    reclaimed_mb: z.number(),
    elapsed_ms: z.number().min(0),
    is_admin: z.boolean(),
    /** Ours: the foreground toggle in effect (`--[no-]exclude-foreground`, state.json). */
    exclude_foreground: z.boolean(),
    /** Ours: the PIDs spared as the foreground's process tree. */
    foreground_pids: z.array(z.number().int()),
    whitelist: z.array(z.string()),
    deltas: DeltaSchema.nullable(),
    rebound_mb: z.number().nullable(),
    notes: z.array(z.string()),
  }),
});

/** Wire types derived from the schemas. */
export type Snapshot = z.infer<typeof SnapshotSchema>;
export type Delta = z.infer<typeof DeltaSchema>;
export type StageReport = z.infer<typeof StageSchema>;
export type ProcessTrim = z.infer<typeof ProcessTrimSchema>;
export type ReliefReport = z.infer<typeof ReportSchema>;
export type SnapshotReport = z.infer<typeof SnapshotReportSchema>;
export type ExitStatus = z.infer<typeof EXIT_STATUS>;
