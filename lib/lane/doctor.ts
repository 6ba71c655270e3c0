/**
 * `lane doctor`: the resolved settings with where each came from, the accounts, a snapshot of
 * every memory root and a few checks — without calling any model (the agent binary is only
 * looked up on PATH, never run).
 */
import { delimiter, join } from "node:path";
import { type AccountsSnapshot, accountsSnapshot } from "./accounts.ts";
import { auditRoot, auditSummary } from "./audit.ts";
import { unlessDenied } from "./denied.ts";
import { type RootStats, rootStats } from "./root_stats.ts";
import type { SettingKey, SettingSource } from "./settings.ts";
import type { LoadedSettings } from "./settings_load.ts";

/** One check: what, whether it passed, and the detail a person needs. */
export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** A memory root as the doctor sees it. */
export interface RootSnapshot extends RootStats {
  /** The audit's issue count and summary line (null when the root does not exist). */
  audit: { total_issues: number; summary: string } | null;
}

/** The whole report. */
export interface DoctorReport {
  settings: Record<SettingKey, { value: unknown; source: SettingSource }>;
  files: { dotenv: string | null; config: string; state_dir: string };
  warnings: string[];
  daemon: { running: boolean; detail: string };
  accounts: AccountsSnapshot;
  memory: RootSnapshot[];
  checks: DoctorCheck[];
}

/**
 * The program `bin` resolves to on PATH (a path with a separator is taken as it is), or null.
 *
 * @example
 * ```ts
 * await findOnPath("git", Deno.env.get("PATH") ?? ""); // "/usr/bin/git"
 * ```
 */
export async function findOnPath(bin: string, path: string): Promise<string | null> {
  const isFile = (p: string) =>
    Deno.stat(p).then((s) => s.isFile, unlessDenied(false, `read ${p}`));
  if (/[\\/]/.test(bin)) return (await isFile(bin)) ? bin : null;
  const exts = Deno.build.os === "windows" ? ["", ".exe", ".cmd", ".bat"] : [""];
  for (const dir of path.split(delimiter).filter(Boolean)) {
    for (const ext of exts) {
      if (await isFile(join(dir, bin + ext))) return join(dir, bin + ext);
    }
  }
  return null;
}

/**
 * Build the report. `ping` tells whether a `lane tend` answers on the control endpoint.
 *
 * @example
 * ```ts
 * const r = await doctorReport(settings, { path: Deno.env.get("PATH") ?? "", ping: async () => false });
 * r.checks.every((c) => c.ok);
 * ```
 */
export async function doctorReport(
  s: LoadedSettings,
  o: { path: string; ping: () => Promise<boolean>; nowMs?: number },
): Promise<DoctorReport> {
  const v = s.values;
  const now = o.nowMs ?? Date.now();
  const memory: RootSnapshot[] = [];
  for (const root of [v.MEMORY_ROOT, ...v.MEMORY_ROOTS]) {
    const stats = await rootStats(root, now);
    const report = stats.exists ? await auditRoot(root) : null;
    memory.push({
      ...stats,
      audit: report && { total_issues: report.total_issues, summary: auditSummary(report) },
    });
  }
  const git = await findOnPath("git", o.path);
  const claude = await findOnPath(v.CLAUDE_BIN, o.path);
  const checks: DoctorCheck[] = [
    ...memory.map((m) => ({
      name: `memory root ${m.root}`,
      ok: m.exists,
      detail: m.exists ? `${m.file_count} file(s), ${m.audit?.summary}` : "does not exist",
    })),
    { name: "git", ok: git !== null, detail: git ?? "not on PATH (needed for snapshots and undo)" },
    {
      name: `agent ${v.CLAUDE_BIN}`,
      ok: claude !== null,
      detail: claude ?? "not on PATH (ticks with issues are left for a person)",
    },
    {
      name: "settings",
      ok: s.warnings.length === 0,
      detail: s.warnings.length ? s.warnings.join("; ") : "every value parsed",
    },
  ];
  const running = await o.ping().catch(() => false);
  const settings = Object.fromEntries(
    (Object.keys(v) as SettingKey[]).map((k) => [k, { value: v[k], source: s.sources[k] }]),
  ) as DoctorReport["settings"];
  return {
    settings,
    files: { dotenv: s.dotenv?.path ?? null, config: s.configPath, state_dir: s.stateDir },
    warnings: s.warnings,
    daemon: { running, detail: running ? `answering on ${v.STATUS_SOCK}` : "not running" },
    accounts: await accountsSnapshot({
      authmuxBin: v.AUTHMUX_BIN,
      accountsDir: v.CLAUDE_ACCOUNTS_DIR,
      nowMs: now,
    }),
    memory,
    checks,
  };
}

/**
 * Text for `lane doctor`.
 *
 * @example
 * ```ts
 * formatDoctor(report).startsWith("settings"); // true
 * ```
 */
export function formatDoctor(r: DoctorReport): string {
  const show = (x: unknown) =>
    Array.isArray(x)
      ? (x.length ? x.join(delimiter) : "(none)")
      : x === null || x === ""
      ? "(unset)"
      : String(x);
  const lines = ["settings (source):"];
  for (const [k, { value, source }] of Object.entries(r.settings)) {
    lines.push(`  ${k.padEnd(20)} ${show(value)} (${source})`);
  }
  lines.push(
    `files: .env ${r.files.dotenv ?? "(none in the working directory)"}, config ${r.files.config}`,
    `daemon: ${r.daemon.detail}`,
    `accounts: authmux ${
      r.accounts.authmux.available
        ? `current ${
          r.accounts.authmux.current ?? "none"
        }, ${r.accounts.authmux.accounts.length} account(s)`
        : `not available (${r.accounts.authmux.error})`
    }, ${r.accounts.claude_account_dirs.length} account folder(s)`,
    "checks:",
    ...r.checks.map((c) => `  ${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`),
  );
  return lines.join("\n");
}
