/**
 * The relief JSON contract, schema_version "1.0", as zod schemas (the single source of truth
 * for the wire types). Sizes are GB in snapshots and MB in deltas; deltas are signed.
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

/** The whole report printed by `relief --json` (and `--snap`). */
export const ReportSchema = z.strictObject({
  schema_version: z.literal("1.0"),
  when: z.string(),
  mode: z.enum(["snap", "relief", "auto"]),
  platform: z.enum(["windows", "linux", "darwin"]),
  tier_requested: TIER.nullable(),
  tier_effective: TIER.nullable(),
  dry_run: z.boolean(),
  before: SnapshotSchema,
  after: SnapshotSchema.nullable(),
  settled: SnapshotSchema.nullable(),
  /** after.available − before.available in MB, signed (negative when memory refilled). */
  freed_mb: z.number(),
  /** True when the per-process pass ran with its guard (whitelist, foreground, critical). */
  process_guard_run: z.boolean(),
  history_persisted: z.boolean(),
  exit_status: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  is_admin: z.boolean(),
  privileges: z.record(z.string(), z.string()),
  report: z.strictObject({
    reclaimed_mb: z.number(),
    elapsed_ms: z.number().min(0),
    is_admin: z.boolean(),
    /** null when the foreground could not be determined. */
    foreground_excluded: z.boolean().nullable(),
    foreground_pids: z.array(z.number().int()),
    whitelist: z.array(z.string()),
    deltas: DeltaSchema.nullable(),
    rebound_mb: z.number().nullable(),
    stages: z.array(StageSchema),
    process_trims: z.array(ProcessTrimSchema),
    notes: z.array(z.string()),
  }),
});

/** Wire types derived from the schemas. */
export type Snapshot = z.infer<typeof SnapshotSchema>;
export type Delta = z.infer<typeof DeltaSchema>;
export type StageReport = z.infer<typeof StageSchema>;
export type ProcessTrim = z.infer<typeof ProcessTrimSchema>;
export type ReliefReport = z.infer<typeof ReportSchema>;
