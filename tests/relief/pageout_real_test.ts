/**
 * Real Linux page-out: a child process holding a touched 300 MB buffer is paged out through
 * pidfd_open + process_madvise(MADV_PAGEOUT), and its RSS drop is measured from /proc
 * independently of the engine. Needs root and swap (a temporary 1 GiB swap file is created
 * when there is none, and removed afterwards even on failure).
 */
import assert from "node:assert/strict";
import { parseStatus } from "../../ffi/linux/mod.ts";
import { openBackend, ReportSchema, runRelief } from "../../lib/relief/mod.ts";
import { hasSwap, pageoutSkipReason, swapOff, swapOn } from "./_swap.ts";
import { skipIf } from "../_support/skip.ts";

const skip = await pageoutSkipReason();

const CHILD = `
const a = new Uint8Array(300 * 1024 * 1024);
for (let i = 0; i < a.length; i += 4096) a[i] = 1;
console.log("ready " + Deno.pid);
setInterval(() => a[0]++, 60_000);
`;

const rssOf = (pid: number) => parseStatus(Deno.readTextFileSync(`/proc/${pid}/status`));

async function waitReady(child: Deno.ChildProcess): Promise<void> {
  const reader = child.stdout.getReader();
  const dec = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 30_000;
  try {
    while (!text.includes("ready")) {
      if (Date.now() > deadline) throw new Error("child did not get ready in 30 s");
      const { value, done } = await reader.read();
      if (done) throw new Error(`child exited early: ${text}`);
      text += dec.decode(value);
    }
  } finally {
    reader.releaseLock();
  }
}

Deno.test(
  skipIf(skip, "relief (real): a 300 MB child is paged out and its RSS drops"),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "relief-pageout-" });
    let swapFile: string | null = null;
    let child: Deno.ChildProcess | null = null;
    // The production backend: /proc through libc, page-out through pidfd + process_madvise.
    const backend = openBackend();
    try {
      if (!hasSwap()) swapFile = await swapOn(dir, "1G");
      child = new Deno.Command(Deno.execPath(), {
        args: ["eval", CHILD],
        stdout: "piped",
        stderr: "inherit",
        stdin: "null",
      }).spawn();
      await waitReady(child);
      const before = rssOf(child.pid);
      assert.ok(before.rss! > 280 * 1048576, `child RSS ${before.rss} should hold the buffer`);

      const t0 = performance.now();
      const report = await runRelief(backend, { tier: "safe", pids: [child.pid] });
      const ms = performance.now() - t0;
      const after = rssOf(child.pid);

      ReportSchema.parse(report);
      const trim = report.report.process_trims.find((t) => t.pid === child!.pid);
      assert.ok(trim, "the child is in process_trims");
      assert.equal(trim.status, "ok", JSON.stringify(trim));
      assert.equal(report.exit_status, "ok", JSON.stringify(report.report.stages));
      const dropMb = (before.rss! - after.rss!) / 1048576;
      console.log(
        `child RSS ${(before.rss! / 1048576).toFixed(0)} MB → ${
          (after.rss! / 1048576).toFixed(0)
        } MB ` +
          `(−${dropMb.toFixed(0)} MB, swap ${(after.swap / 1048576).toFixed(0)} MB) in ${
            ms.toFixed(0)
          } ms`,
      );
      assert.ok(dropMb >= 250, `RSS should drop by ≥ 250 MB, dropped ${dropMb.toFixed(0)} MB`);
      assert.ok(after.swap >= 200 * 1048576, "the pages went to swap");
      // The engine's own numbers agree with what /proc says.
      assert.ok(Math.abs(trim.ws_after_mb! - after.rss! / 1048576) < 20);
      const stage = report.report.stages.find((s) => s.name === "process_trim")!;
      assert.equal(stage.status, "ok");
      assert.ok(
        report.report.stages.filter((s) => s.name !== "process_trim")
          .every((s) => s.status === "skipped" && s.reason === "not_requested"),
      );
    } finally {
      backend.close();
      if (child) {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
        await child.status;
        await child.stdout.cancel().catch(() => {});
      }
      if (swapFile) await swapOff(swapFile);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
