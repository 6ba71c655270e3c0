/**
 * Injection bookkeeping (memoryOSS §3.4 step 7): each injected memory gets
 * `injection_count + 1` and `last_injected_at`, written through the runtime's write queue
 * after the request has moved on. The record's version is unchanged (no content changed).
 */
import type { Runtime, WriteQueue } from "../memory/mod.ts";

/**
 * A fire-and-forget recorder; failures go to `log`, never to the client.
 *
 * @example
 * ```ts
 * const record = injectionRecorder(rt, queue, log);
 * record(["0190…"]);
 * ```
 */
export function injectionRecorder(
  rt: Runtime,
  queue: WriteQueue,
  log: (level: "warn", line: string) => void,
): (ids: string[]) => void {
  return (ids) => {
    try {
      queue.run(() => {
        const at = rt.now().toISOString();
        for (const id of ids) {
          const m = rt.store.getById(id);
          if (!m) continue; // forgotten meanwhile
          rt.store.update(m.pk, {
            ...m.record,
            injection_count: m.record.injection_count + 1,
            last_injected_at: at,
          });
        }
      }).catch((e) => log("warn", `proxy injection bookkeeping failed: ${e}`));
    } catch (e) {
      log("warn", `proxy injection bookkeeping skipped: ${e}`); // queue closed or full
    }
  };
}
