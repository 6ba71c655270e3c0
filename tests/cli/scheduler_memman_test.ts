/**
 * memman's other scheduler verbs through main.ts (spec memman.md §2 "Drain" and §6
 * "Scheduler"): `drain --pending` (the timer's run: at most 100 rows, a busy lock exits 0 with
 * "another drain in progress"), `trigger` (drains now, refused while stopped), `serve` (the
 * loop for containers; --interval 0 = continuous), `queue` (the rows and their status) and
 * `interval` (at least 60 s for the systemd timer).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../lib/config/mod.ts";
import { drainLockPath, enqueueRemember, tryDrainLock } from "../../lib/memory/mod.ts";
import { encryptionFromConfig, Store } from "../../lib/store/mod.ts";
import { cli, cliWith, MAIN, okJson, show, withHome } from "./_helpers.ts";
import { onlyOn, skipIf } from "../_support/skip.ts";

/**
 * `scheduler ARGS…` with the user's systemd and launchd folders inside the test home, so
 * start/stop never switch a real installed drain timer.
 */
function sched(home: string, ...args: string[]) {
  const env = { XDG_CONFIG_HOME: join(home, "xdg"), HOME: join(home, "user") };
  return cliWith(home, { env }, "scheduler", ...args);
}

/** The home's config and database, as the CLI resolves them. */
function homeConfig(home: string) {
  return loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
}

/** Queue `n` distinct facts in namespace t (the setup; the verbs under test run as the CLI). */
async function enqueue(home: string, n: number): Promise<void> {
  const loaded = await homeConfig(home);
  const store = Store.open(loaded.dbPath, {
    encryption: encryptionFromConfig(loaded.keyPath, loaded.config.encryption),
  });
  try {
    for (let i = 1; i <= n; i++) {
      enqueueRemember(store, loaded.config, {
        namespace: "t",
        content: `Service number ${i} listens on port ${8000 + i}`,
      });
    }
  } finally {
    store.close();
  }
}

Deno.test("scheduler drain --pending: at most 100 rows a run (memman's limit); queue shows status", async () => {
  await withHome(async (home) => {
    await enqueue(home, 101);
    const first = okJson(await cli(home, "scheduler", "drain", "--pending", "--json"));
    assert.equal(first.lock, "acquired");
    assert.equal(first.processed, 100);
    assert.equal(first.queue.pending, 1);

    const pending = okJson(await cli(home, "scheduler", "queue", "--status", "pending", "--json"));
    assert.equal(pending.items.length, 1);
    const [left] = pending.items;
    assert.equal(left.id, 101);
    assert.equal(left.store, "t");
    assert.equal(left.content, "Service number 101 listens on port 8101");
    assert.equal(left.status, "pending");
    assert.equal(left.attempts, 0);
    assert.equal(left.processed_at, null);

    const done = okJson(
      await cli(home, "scheduler", "queue", "--status", "done", "--limit", "3", "--json"),
    );
    assert.deepEqual(done.items.map((r: { id: number }) => r.id), [100, 99, 98]);
    for (const r of done.items) {
      assert.equal(r.status, "done");
      assert.equal(r.attempts, 1);
      assert.ok(r.processed_at, JSON.stringify(r));
    }

    const text = await cli(home, "scheduler", "drain", "--pending");
    assert.equal(text.code, 0, show(text));
    assert.match(text.stdout, /^drained 1: .*0 pending, 0 failed\n$/);
    const recalled = await cli(home, "recall", "-n", "t", "which port does service number 101 use");
    assert.match(recalled.stdout, /port 8101/, show(recalled));

    // memman's spelling only: without --pending it is a usage error, not a silent full drain.
    const bare = await cli(home, "scheduler", "drain");
    assert.equal(bare.code, 3, show(bare));
    assert.match(bare.stderr, /scheduler drain --pending/);
  });
});

Deno.test("scheduler drain --pending / trigger: a drain already running means exit 0, nothing done", async () => {
  await withHome(async (home) => {
    await enqueue(home, 1);
    const lock = tryDrainLock(drainLockPath((await homeConfig(home)).dbPath));
    assert.ok(lock, "the test could not take the drain lock");
    try {
      for (const verb of [["drain", "--pending"], ["trigger"]]) {
        const r = await cli(home, "scheduler", ...verb);
        assert.equal(r.code, 0, show(r));
        assert.equal(r.stdout, "another drain in progress; nothing done\n", show(r));
      }
    } finally {
      lock.release();
    }
    const queue = okJson(await cli(home, "scheduler", "queue", "--json"));
    assert.equal(queue.queue.pending, 1);
  });
});

Deno.test("scheduler trigger: drains now; refused while stopped, when drain --pending does nothing", async () => {
  await withHome(async (home) => {
    const q = okJson(
      await cli(home, "remember", "-n", "t", "--json", "The canary runs 40 minutes"),
    );
    assert.equal(q.action, "queued");
    assert.equal((await sched(home, "stop")).code, 0);

    const refused = await cli(home, "scheduler", "trigger");
    assert.equal(refused.code, 5, show(refused));
    assert.equal(refused.stderr, "memoryoss: error: Scheduler is stopped; cannot trigger\n");
    const idle = await cli(home, "scheduler", "drain", "--pending");
    assert.equal(idle.code, 0, show(idle));
    assert.equal(idle.stdout, "scheduler is stopped; nothing drained (1 pending)\n");

    assert.equal((await sched(home, "start")).code, 0);
    const ran = okJson(await cli(home, "scheduler", "trigger", "--json"));
    assert.equal(ran.processed, 1);
    assert.equal(ran.actions.ADD, 1);
    const recalled = await cli(home, "recall", "-n", "t", "how long does the canary run");
    assert.match(recalled.stdout, /canary runs 40 minutes/, show(recalled));
  });
});

Deno.test("scheduler serve --interval 0: drains what is remembered until SIGTERM, then exits 0", async () => {
  await withHome(async (home) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", MAIN, "scheduler", "serve", "--interval", "0"],
      env: { MEMORYOSS_HOME: home, NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output = child.output();
    try {
      assert.equal((await cli(home, "remember", "-n", "t", "Backups rotate weekly")).code, 0);
      // Poll the queue (no timing assertion: the watchdog only ends a hung test).
      let done = 0;
      for (let i = 0; i < 600 && done === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        done = okJson(await cli(home, "scheduler", "queue", "--json")).queue.done;
      }
      assert.equal(done, 1, "serve never drained the remembered fact");
    } finally {
      child.kill("SIGTERM");
    }
    const out = await output;
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.match(stdout, /^drained 1: 1 added/m, stdout);
    assert.match(stderr, /draining continuously/);
    assert.match(stderr, /scheduler serve: stopped\n$/);
    const recalled = await cli(home, "recall", "-n", "t", "how often do backups rotate");
    assert.match(recalled.stdout, /Backups rotate weekly/, show(recalled));

    const bad = await cli(home, "scheduler", "serve", "--interval=-1");
    assert.equal(bad.code, 3, show(bad));
  });
});

Deno.test(
  skipIf(
    onlyOn("linux", "Linux only: writes systemd user units"),
    "scheduler interval: shows and sets the timer (at least 60 s); reads what worker install wrote",
  ),
  async () => {
    await withHome(async (home) => {
      const dir = await Deno.makeTempDir({ prefix: "sched-interval-" });
      const env = { XDG_CONFIG_HOME: `${dir}/xdg`, HOME: `${dir}/home`, PATH: `${dir}/empty` };
      const run = (...args: string[]) => cliWith(home, { env }, "scheduler", "interval", ...args);
      try {
        await Deno.mkdir(`${dir}/empty`);
        assert.deepEqual(okJson(await run("--json")), { installed: false, interval_seconds: null });
        const low = await run("59");
        assert.equal(low.code, 3, show(low));
        assert.match(low.stderr, /at least|60 to 86400/);

        const set = await run("300");
        assert.equal(set.code, 0, show(set));
        const timer = `${dir}/xdg/systemd/user/memoryoss-drain.timer`;
        assert.match(await Deno.readTextFile(timer), /^OnUnitActiveSec=5min$/m);
        assert.deepEqual(okJson(await run("--json")), { installed: true, interval_seconds: 300 });

        // The same timer `worker install` writes: each reads what the other set.
        const w = await cliWith(home, { env }, "worker", "install", "--interval", "10m");
        assert.equal(w.code, 0, show(w));
        assert.equal((await run()).stdout, "drain timer every 600s\n");
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  },
);
