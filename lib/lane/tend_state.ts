/** What `lane tend` keeps between runs: the persisted dry-run switch and the single-run lock. */
import { MemoryossError } from "../errors/mod.ts";
import { fromSandbox, rethrowDenied, unlessDenied } from "./denied.ts";
import { readProc } from "./procfs.ts";

/**
 * The persisted dry-run override, or null when none was saved (or the file is unreadable).
 *
 * @example
 * ```ts
 * await loadDryRun("/home/me/.memoryoss/lane/state.json"); // true | false | null
 * ```
 */
export async function loadDryRun(path: string): Promise<boolean | null> {
  try {
    const v = JSON.parse(await Deno.readTextFile(path));
    return typeof v?.dry_run_override === "boolean" ? v.dry_run_override : null;
  } catch (e) {
    rethrowDenied(e, `read ${path}`);
    return null; // never saved, or not JSON
  }
}

/**
 * Save the override; returns false (instead of claiming success) when the write failed.
 *
 * @example
 * ```ts
 * await saveDryRun("/home/me/.memoryoss/lane/state.json", false); // true
 * ```
 */
export async function saveDryRun(path: string, on: boolean): Promise<boolean> {
  try {
    const tmp = `${path}.tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify({ dry_run_override: on }) + "\n", { mode: 0o600 });
    await Deno.rename(tmp, path);
    return true;
  } catch (e) {
    if (fromSandbox(e)) rethrowDenied(e, `write ${path}`);
    return false; // reported by the caller as "could not persist"
  }
}

/**
 * True when `pid` is a running process (Linux /proc; elsewhere a lock is trusted as stale).
 *
 * @example
 * ```ts
 * pidAlive(Deno.pid); // true
 * ```
 */
export function pidAlive(pid: number): boolean {
  return Number.isInteger(pid) && pid > 0 && readProc(`/proc/${pid}/stat`) !== null;
}

/**
 * Take the lock file (it holds the owner's pid). A lock whose pid is gone is taken over;
 * a live one is a CONFLICT. Returns the release function.
 *
 * @example
 * ```ts
 * const release = await acquireLock("/home/me/.memoryoss/lane/tend.lock");
 * await release();
 * ```
 */
export async function acquireLock(path: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Deno.writeTextFile(path, `${Deno.pid}\n`, { createNew: true, mode: 0o600 });
      return async () => {
        const owner = Number(
          (await Deno.readTextFile(path).catch(unlessDenied("", `read ${path}`))).trim(),
        );
        if (owner === Deno.pid) {
          await Deno.remove(path).catch(unlessDenied(undefined, `remove ${path}`));
        }
      };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      const owner = Number(
        (await Deno.readTextFile(path).catch(unlessDenied("", `read ${path}`))).trim(),
      );
      if (pidAlive(owner)) {
        throw new MemoryossError(
          "CONFLICT",
          `lane tend is already running (pid ${owner}, lock ${path})`,
        );
      }
      await Deno.remove(path).catch(() => {}); // stale: its owner is gone
    }
  }
  throw new MemoryossError("CONFLICT", `could not take the lock ${path}`);
}
