/**
 * Probes against a real `memoryoss serve` on loopback: SIGKILL in the middle of a write burst
 * (every acknowledged write must be there after a restart), and a bounded load at fixed
 * concurrency (no 5xx, every acknowledged write present).
 */
import {
  adminKey,
  type Answer,
  http,
  pct,
  type ProbeResult,
  sentence,
  type Serve,
  sleep,
  startServe,
  tempDir,
} from "./_proc.ts";

/** Sizes of the serve probes. */
export interface ServeSize {
  kills: number;
  /** Writes acknowledged in one burst before its SIGKILL. */
  ackedPerKill: number;
  loadRequests: number;
}

/** Hammer POST /v1/store from `workers` loops until stopped; acknowledged id → content. */
function burst(url: string, key: string, workers: number, tag: string, acked: Map<string, string>) {
  let running = true;
  let n = 0;
  const counts = { inFlightLost: 0, serverErrors: 0 };
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const content = sentence(tag, n++);
      let r: Answer;
      try {
        r = await http(`${url}/v1/store`, "POST", key, { content, namespace: "crash" });
      } catch {
        // The connection died with the server: never acknowledged, so nothing is owed.
        counts.inFlightLost++;
        if (running) await sleep(5);
        continue;
      }
      if (r.status === 200 && typeof r.json?.id === "string") acked.set(r.json.id, content);
      else if (r.status >= 500) counts.serverErrors++;
    }
  });
  return {
    counts,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Acknowledged writes that a fresh server cannot show with their content. */
async function lostWrites(s: Serve, key: string, acked: Map<string, string>): Promise<number> {
  let lost = 0;
  for (const [id, content] of acked) {
    const r = await http(`${s.url}/v1/inspect/${id}?namespace=crash`, "GET", key);
    if (r.status !== 200 || r.json?.content !== content) lost++;
  }
  return lost;
}

/**
 * (a) SIGKILL `serve` mid-burst `kills` times, restarting in between; then every write that
 * got a 200 with an id must be inspectable with its content, and the indexes consistent.
 */
export async function serveKill(size: ServeSize): Promise<ProbeResult> {
  await using home = await tempDir("serve-kill");
  const key = await adminKey(home.path);
  const acked = new Map<string, string>();
  let inFlight = 0;
  let serverErrors = 0;
  let landed = 0;
  for (let k = 0; k < size.kills; k++) {
    const s = await startServe(home.path);
    const start = acked.size;
    const b = burst(s.url, key, 16, `serve-kill-${k}`, acked);
    const t0 = Date.now();
    while (acked.size - start < size.ackedPerKill && Date.now() - t0 < 30_000) await sleep(10);
    const st = await s.kill("SIGKILL");
    await b.stop();
    if (st.signal === "SIGKILL") landed++;
    inFlight += b.counts.inFlightLost;
    serverErrors += b.counts.serverErrors;
  }
  const s = await startServe(home.path);
  let lost: number;
  let consistent: boolean;
  try {
    lost = await lostWrites(s, key, acked);
    const h = (await http(`${s.url}/v1/admin/index-health`, "GET", key)).json;
    consistent = h?.fts_consistent === true && h?.vector_index_consistent === true &&
      h?.missing_embeddings === 0;
  } finally {
    await s.kill("SIGTERM");
  }
  return {
    ok: lost === 0 && consistent && landed === size.kills && serverErrors === 0 && acked.size > 0,
    line:
      `serve-kill: ${landed} kill${
        landed === 1 ? "" : "s"
      }, ${acked.size} acknowledged, ${lost} lost ` +
      `(${inFlight} requests cut in flight, ${serverErrors} 5xx), ` +
      `indexes ${consistent ? "consistent" : "INCONSISTENT"}`,
  };
}

/** Every id listed in a namespace, page by page. */
async function listedIds(s: Serve, key: string, namespace: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let offset = 0;; offset += 1000) {
    const r = await http(
      `${s.url}/v1/memories?namespace=${namespace}&limit=1000&offset=${offset}`,
      "GET",
      key,
    );
    if (r.status !== 200) throw new Error(`list: ${r.status} ${r.text}`);
    for (const m of r.json.memories) ids.add(m.id);
    if (r.json.memories.length < 1000) return ids;
  }
}

/**
 * (d) `loadRequests` requests at concurrency 16 (store, batch store, recall, list) against
 * one server: counts 5xx and failed connections; every acknowledged write must be listed.
 */
export async function load(size: ServeSize): Promise<ProbeResult> {
  await using home = await tempDir("load");
  const key = await adminKey(home.path);
  const s = await startServe(home.path);
  const statuses = new Map<number, number>();
  const acked = new Set<string>();
  const ms: number[] = [];
  let failed = 0;
  let n = 0;
  const t0 = performance.now();
  let missing: number;
  let secs: number;
  try {
    const one = async (i: number) => {
      const kind = i % 10;
      const q0 = performance.now();
      let r: Answer;
      try {
        if (kind < 5) {
          r = await http(`${s.url}/v1/store`, "POST", key, {
            content: sentence("load", n++),
            namespace: "load",
          });
          if (r.status === 200) acked.add(r.json.id);
        } else if (kind === 5) {
          const memories = [0, 1, 2].map(() => ({
            content: sentence("load", n++),
            namespace: "load",
          }));
          r = await http(`${s.url}/v1/store/batch`, "POST", key, { memories });
          if (r.status === 200) { for (const st of r.json.stored) acked.add(st.id); }
        } else if (kind < 9) {
          r = await http(`${s.url}/v1/recall`, "POST", key, {
            query: sentence("load", i).split(": ")[1].split(" ").slice(0, 3).join(" "),
            namespace: "load",
            limit: 5,
          });
        } else {
          r = await http(`${s.url}/v1/memories?namespace=load&limit=20`, "GET", key);
        }
      } catch {
        failed++;
        return;
      }
      ms.push(performance.now() - q0);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    };
    let i = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (i < size.loadRequests) await one(i++);
    }));
    secs = (performance.now() - t0) / 1000;
    const listed = await listedIds(s, key, "load");
    missing = [...acked].filter((id) => !listed.has(id)).length;
  } finally {
    await s.kill("SIGTERM");
  }
  const count = (f: (c: number) => boolean) =>
    [...statuses].filter(([c]) => f(c)).reduce((a, [, k]) => a + k, 0);
  const fivexx = count((c) => c >= 500);
  // 429 is back-pressure (a full write queue), an answer the client can retry; other 4xx
  // would mean the probe itself sent something wrong.
  const busy = count((c) => c === 429);
  const other = count((c) => c !== 200 && c !== 429 && c < 500);
  return {
    ok: fivexx === 0 && failed === 0 && missing === 0 && other === 0,
    line: `load: ${size.loadRequests} requests at concurrency 16, ${fivexx} 5xx, ${busy} 429, ` +
      `${other} other non-200, ${failed} failed connections, ${acked.size} writes acknowledged, ` +
      `${missing} missing; ${(size.loadRequests / secs).toFixed(0)} req/s, ` +
      `p50 ${pct(ms, 50).toFixed(0)} ms, p95 ${pct(ms, 95).toFixed(0)} ms`,
  };
}
