/**
 * The dashboard's relief page data (Memoria's tray, read-only): relief's state and history as
 * `relief` wrote them under the home. Imports relief's leaf reader, never its barrel: the
 * barrel loads the platform backends (ffi), which the server must not hold.
 */
import { readReliefView, type ReliefView } from "../relief/read.ts";

/** `GET /v1/dashboard/relief`: state and the last `limit` runs (oldest first). */
export async function reliefPage(home: string, limit = 50): Promise<ReliefView> {
  return await readReliefView(home, limit);
}
