/**
 * cmmd's `pressure`: RAM use from /proc/meminfo (`used_pct = (total − available) · 100 / total`,
 * whole percent) and, with `--respond`, its escalation at ≥ 80 %: `docker container prune -f`;
 * at ≥ 90 % also `sync` and `drop_caches=1`; then the swap settings `vm.swappiness=60` and
 * `vm.page-cluster=0`. Writes that fail are retried through `sudo -n` (never prompting).
 * `dryRun` reports the actions without taking them, with cmmd's `(dry-run)` wording.
 * JSON as cmmd's: `{mem: {total_kb, available_kb, used_pct}, actions_taken, threshold_exceeded}`.
 */
import { PROC, readProc } from "./procfs.ts";

/** cmmd's thresholds (percent of RAM in use). */
export const PRESSURE_THRESHOLD_PCT = 80;
export const CRITICAL_THRESHOLD_PCT = 90;
/** The swap settings cmmd enforces under pressure. */
export const SWAP_TUNING: readonly [string, string][] = [
  ["/proc/sys/vm/swappiness", "60"],
  ["/proc/sys/vm/page-cluster", "0"],
];

/** Memory, as cmmd reports it. */
export interface MemInfo {
  total_kb: number;
  available_kb: number;
  used_pct: number;
}

/** `pressure --json`. */
export interface PressureResponse {
  mem: MemInfo;
  actions_taken: string[];
  threshold_exceeded: boolean;
}

/** The side effects of a response (tests pass recorders). */
export interface PressureDeps {
  run(bin: string, args: string[]): Promise<boolean>;
  read(path: string): string | null;
  write(path: string, value: string): Promise<boolean>;
}

/**
 * Parse /proc/meminfo text.
 *
 * @example
 * ```ts
 * parseMeminfo("MemTotal: 1000 kB\nMemAvailable: 150 kB\n").used_pct; // 85
 * ```
 */
export function parseMeminfo(text: string): MemInfo {
  const kb = (key: string) => Number(text.match(new RegExp(`^${key}:\\s+(\\d+)`, "m"))?.[1] ?? 0);
  const total = kb("MemTotal"), available = kb("MemAvailable");
  const used_pct = total > 0 ? Math.floor(((total - available) * 100) / total) : 0;
  return { total_kb: total, available_kb: available, used_pct };
}

/** The machine's memory now. */
export function readMeminfo(proc = PROC): MemInfo {
  return parseMeminfo(readProc(`${proc}/meminfo`) ?? "");
}

async function run(bin: string, args: string[]): Promise<boolean> {
  try {
    const o = await new Deno.Command(bin, { args, stdin: "null", stdout: "null", stderr: "null" })
      .output();
    return o.success;
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    return false;
  }
}

/** The real effects: commands, /proc reads through libc, writes (then `sudo -n`). */
export const realPressureDeps: PressureDeps = {
  run,
  read: (path) => readProc(path),
  async write(path, value) {
    try {
      await Deno.writeTextFile(path, value, { create: false });
      return true;
    } catch {
      return false;
    }
  },
};

/**
 * Check, and with `respond` act on, memory pressure.
 *
 * @example
 * ```ts
 * await checkPressure({ respond: true, dryRun: true }); // actions named, none taken
 * ```
 */
export async function checkPressure(o: {
  respond: boolean;
  dryRun?: boolean;
  mem?: MemInfo;
  deps?: PressureDeps;
}): Promise<PressureResponse> {
  const d = o.deps ?? realPressureDeps;
  const mem = o.mem ?? readMeminfo();
  const actions: string[] = [];
  if (!o.respond || mem.used_pct < PRESSURE_THRESHOLD_PCT) {
    return { mem, actions_taken: actions, threshold_exceeded: false };
  }
  const sudoWrite = (path: string, v: string) =>
    d.run("sudo", ["-n", "sh", "-c", `echo ${v} > ${path}`]);
  if (o.dryRun) actions.push("docker container prune (dry-run)");
  else if (await d.run("docker", ["container", "prune", "-f"])) {
    actions.push("docker container prune");
  }
  if (mem.used_pct >= CRITICAL_THRESHOLD_PCT) {
    const drop = "/proc/sys/vm/drop_caches";
    if (o.dryRun) actions.push("drop_caches=1 (dry-run)");
    else {
      await d.run("sync", []);
      if (await d.write(drop, "1")) actions.push("drop_caches=1");
      else if (await sudoWrite(drop, "1")) actions.push("drop_caches=1 (sudo)");
    }
  }
  for (const [path, want] of SWAP_TUNING) {
    const current = (d.read(path) ?? "").trim();
    if (o.dryRun) actions.push(`${path}=${current} (dry-run, no write)`);
    else if (current !== want) {
      if (await d.write(path, want)) actions.push(`${path}=${want} (was ${current})`);
      else if (await sudoWrite(path, want)) actions.push(`${path}=${want} (sudo, was ${current})`);
    }
  }
  return { mem, actions_taken: actions, threshold_exceeded: true };
}

/** cmmd's text. */
export function formatPressure(r: PressureResponse): string {
  const m = r.mem;
  return [
    `ram: total=${Math.floor(m.total_kb / 1024)} MB available=${
      Math.floor(m.available_kb / 1024)
    } MB used=${m.used_pct}%${r.threshold_exceeded ? " (PRESSURE)" : ""}`,
    ...r.actions_taken.map((a) => `  action: ${a}`),
  ].join("\n");
}
