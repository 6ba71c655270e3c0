/** cmmd's WEBHOOK_URL, PID_FILE and STATUS_SOCK, set in the environment of a real `lane tend`. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyFixture, runLane, spawnLane, tempDir, waitFor } from "./_support.ts";

/** cmmd's history fields, in order (spec §4.2). */
const CMMD_FIELDS = [
  "tick_id",
  "started_at_unix",
  "finished_at_unix",
  "dry_run",
  "memory_root",
  "ran",
  "reason_skipped",
  "exit_code",
  "audit_total_issues",
  "pre_tick_sha",
];

Deno.test("lane tend: WEBHOOK_URL gets each record; PID_FILE and STATUS_SOCK are honoured", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "memory");
  await Deno.mkdir(root);
  await copyFixture(root);
  const posts: { path: string; type: string | null; body: string }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    posts.push({
      path: new URL(req.url).pathname,
      type: req.headers.get("content-type"),
      body: await req.text(),
    });
    return new Response("ok");
  });
  const pidFile = join(dir.path, "lane.pid");
  const sock = join(dir.path, "custom.sock");
  const env = {
    MEMORYOSS_HOME: dir.path,
    WEBHOOK_URL: `http://127.0.0.1:${server.addr.port}/cmmd/hook`,
    PID_FILE: pidFile,
    STATUS_SOCK: sock,
    METRICS_BIND: "",
    MIN_IDLE_SEC: "0",
  };
  const lane = spawnLane(["tend", "--agent", "none", "--memory-root", root], env);
  try {
    await waitFor(() => posts.length === 1);
    const pid = Number((await Deno.readTextFile(pidFile)).trim());
    assert.equal(pid, lane.child.pid);
    assert.equal((await runLane(["ctl", "ping"], env)).stdout, "pong\n", "ctl finds STATUS_SOCK");
  } finally {
    assert.equal((await lane.stop()).code, 0, lane.lines.join("\n"));
    await server.shutdown();
  }
  assert.equal(await Deno.lstat(pidFile).then(() => true, () => false), false, "pid file removed");
  assert.deepEqual([posts[0].path, posts[0].type], ["/cmmd/hook", "application/json"]);
  const body = JSON.parse(posts[0].body);
  assert.deepEqual(Object.keys(body).slice(0, 10), CMMD_FIELDS);
  assert.deepEqual([body.memory_root, body.ran, body.audit_total_issues], [root, false, 4]);
});
