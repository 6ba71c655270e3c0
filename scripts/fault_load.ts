/**
 * Fault and load probes, run from outside against the real CLI (`main.ts` child processes,
 * loopback HTTP, MCP over stdio), each on a throw-away home:
 *
 *   serve-kill       SIGKILL `serve` mid write burst, restart: every acknowledged write there
 *   drain-kill       SIGKILL `drain` while it applies the `remember` queue: each fact once
 *   mcp+cli          2 `mcp-server` + 2 CLI `store` loops on one home: all stored, no lock error
 *   load             N requests at concurrency 16 against `serve`: no 5xx
 *   restore-crafted  archives with `../`, absolute names, symlinks, hardlinks: refused, nothing
 *                    written outside the target
 *   rotate-kill      SIGKILL `encryption rotate` midway: the rerun finishes, everything reads
 *
 * Prints one line of figures per probe and exits 1 when any check fails (a loss, a 5xx, a
 * lock error, a write outside the target), 2 when a probe could not run.
 *
 *   deno run -A scripts/fault_load.ts [--size small|full] [--only NAME,…]
 *
 * `small` (CI, tests/fault_load_test.ts) takes well under a minute; `full` gives the figures
 * in docs/security.md. MEMORYOSS_FAULT_KEEP=1 keeps the temp homes for a look afterwards.
 */
import { parseArgs } from "node:util";
import type { ProbeResult } from "./fault_load/_proc.ts";
import { load, serveKill, type ServeSize } from "./fault_load/serve_probes.ts";
import { drainKill, mcpAndCli, type QueueSize } from "./fault_load/queue_probes.ts";
import { type FileSize, restoreCrafted, rotateKill } from "./fault_load/file_probes.ts";

type Size = ServeSize & QueueSize & FileSize;

/** The two sizes: bounded loops, so a run always ends. */
export const SIZES: Record<"small" | "full", Size> = {
  small: {
    kills: 1,
    ackedPerKill: 80,
    loadRequests: 400,
    facts: 24,
    drainKills: 1,
    mcpStores: 20,
    cliStores: 5,
    rotateMemories: 60,
  },
  full: {
    kills: 3,
    ackedPerKill: 250,
    loadRequests: 4000,
    facts: 300,
    drainKills: 3,
    mcpStores: 200,
    cliStores: 40,
    rotateMemories: 400,
  },
};

const PROBES: Record<string, (s: Size) => Promise<ProbeResult>> = {
  "serve-kill": serveKill,
  "drain-kill": drainKill,
  "mcp+cli": mcpAndCli,
  load,
  "restore-crafted": () => restoreCrafted(),
  "rotate-kill": rotateKill,
};

/** Run the probes; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { size: { type: "string", default: "small" }, only: { type: "string" } },
  });
  const sizeName = values.size;
  if (sizeName !== "small" && sizeName !== "full") {
    console.error("fault_load: --size must be small or full");
    return 3;
  }
  const names = values.only ? values.only.split(",") : Object.keys(PROBES);
  const unknown = names.filter((n) => !(n in PROBES));
  if (unknown.length) {
    console.error(`fault_load: unknown probe ${unknown[0]} (${Object.keys(PROBES).join(", ")})`);
    return 3;
  }
  let failed = 0;
  let broken = 0;
  const t0 = performance.now();
  for (const name of names) {
    const p0 = performance.now();
    try {
      const r = await PROBES[name](SIZES[sizeName]);
      const secs = ((performance.now() - p0) / 1000).toFixed(1);
      console.log(`${r.line} [${secs} s]${r.ok ? "" : "  FAILED"}`);
      if (!r.ok) failed++;
    } catch (e) {
      broken++;
      console.log(`${name}: could not run: ${(e as Error).message.split("\n")[0]}  FAILED`);
    }
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `fault_load --size ${sizeName}: ${names.length - failed - broken}/${names.length} probes ` +
      `held in ${secs} s on ${navigator.hardwareConcurrency} cores`,
  );
  return broken ? 2 : failed ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
