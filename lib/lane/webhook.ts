/** cmmd's webhook: each history record POSTed as JSON to `WEBHOOK_URL`, 5 s at most. */
import { historyLine, type TickRecord } from "./history.ts";

/**
 * POST one record; resolves with null on success or the reason it failed (never throws: a
 * webhook that is down must not stop the loop).
 *
 * @example
 * ```ts
 * await postWebhook("http://127.0.0.1:8080/cmmd", record); // null
 * ```
 */
export async function postWebhook(
  url: string,
  record: TickRecord,
  timeoutMs = 5000,
): Promise<string | null> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: historyLine(record).trimEnd(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return res.ok ? null : `webhook ${url} answered ${res.status}`;
  } catch (e) {
    return `webhook ${url} failed: ${(e as Error).message}`;
  }
}
