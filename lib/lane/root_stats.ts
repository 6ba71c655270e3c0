/** Size and idle time of a memory root, for the idle guard and `lane ctl status`. */
import { join } from "node:path";
import { rethrowDenied, unlessDenied } from "./denied.ts";
import { INDEX_FILE, parseMemoryIndex } from "./memory_index.ts";

/** What the loop knows about a root at tick time (cmmd's `memory` block). */
export interface RootStats {
  root: string;
  exists: boolean;
  file_count: number;
  total_bytes: number;
  newest_mtime_unix: number | null;
  /** Seconds since the newest change, or null for an empty or missing root. */
  idle_sec: number | null;
  memory_md_lines: number;
}

/** A root not walked yet (or missing): nothing in it. */
export function emptyRootStats(root: string): RootStats {
  return {
    root,
    exists: false,
    file_count: 0,
    total_bytes: 0,
    newest_mtime_unix: null,
    idle_sec: null,
    memory_md_lines: 0,
  };
}

/**
 * Walk the root. `.git` is left out: the lane's own snapshots must not reset the idle clock
 * (a cmmd weak spot).
 *
 * @example
 * ```ts
 * (await rootStats("/tmp/memory", Date.now())).idle_sec;
 * ```
 */
export async function rootStats(root: string, nowMs: number): Promise<RootStats> {
  const stats = emptyRootStats(root);
  try {
    if (!(await Deno.stat(root)).isDirectory) return stats;
  } catch (e) {
    rethrowDenied(e, `read the memory folder ${root}`);
    return stats;
  }
  stats.exists = true;
  let newest = 0;
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.name === ".git") continue;
      const path = join(dir, e.name);
      const info = await Deno.lstat(path).catch(unlessDenied(null, `read ${path}`));
      if (!info) continue;
      newest = Math.max(newest, info.mtime?.getTime() ?? 0);
      if (info.isDirectory) await walk(path);
      else if (info.isFile) {
        stats.file_count++;
        stats.total_bytes += info.size;
      }
    }
  };
  await walk(root);
  if (newest > 0) {
    stats.newest_mtime_unix = Math.floor(newest / 1000);
    stats.idle_sec = Math.max(0, Math.floor((nowMs - newest) / 1000));
  }
  const indexPath = join(root, INDEX_FILE);
  const index = await Deno.readTextFile(indexPath).catch(unlessDenied(null, `read ${indexPath}`));
  stats.memory_md_lines = index === null ? 0 : parseMemoryIndex(index).lineCount;
  return stats;
}
