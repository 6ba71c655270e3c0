/**
 * memman's `scheduler start|stop` beyond the switch (memman.md §6 "Scheduler"), through main.ts:
 * `stop` disables the installed trigger and keeps its files, `start` re-enables it (a fake
 * `systemctl` on the PATH records what it is asked), and `start` marks never-attempted pending
 * rows queued more than 7 days ago as `stale`, which no drain applies.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../lib/config/mod.ts";
import { enqueueRemember } from "../../lib/memory/mod.ts";
import { countQueueTry, encryptionFromConfig, Store } from "../../lib/store/mod.ts";
import { cli, cliWith, okJson, show, withHome } from "./_helpers.ts";
import { onlyOn, skipIf } from "../_support/skip.ts";

/**
 * `scheduler ARGS…` with the user's systemd and launchd folders inside the test home, so
 * start/stop never switch a real installed drain timer.
 */
function sched(home: string, ...args: string[]) {
  const env = { XDG_CONFIG_HOME: join(home, "xdg"), HOME: join(home, "user") };
  return cliWith(home, { env }, "scheduler", ...args);
}

const DAY = 86_400_000;

/** A fake systemctl: appends its arguments to calls.log beside it; exits with `code`. */
async function fakeSystemctl(bin: string, code = 0): Promise<void> {
  const path = join(bin, "systemctl");
  const fail = code ? `echo "Failed to connect to bus" >&2\n` : "";
  await Deno.writeTextFile(
    path,
    `#!/bin/sh\necho "$*" >> "$(dirname "$0")/calls.log"\n${fail}exit ${code}\n`,
  );
  await Deno.chmod(path, 0o755);
}

Deno.test(
  skipIf(
    onlyOn("linux", "Linux only: a systemd user timer and a fake systemctl"),
    "scheduler stop/start: disables and re-enables the installed drain timer, files kept",
  ),
  async () => {
    await withHome(async (home) => {
      const dir = await Deno.makeTempDir({ prefix: "sched-trigger-" });
      const bin = join(dir, "bin");
      const log = join(bin, "calls.log");
      const units = join(dir, "xdg", "systemd", "user");
      const env = {
        XDG_CONFIG_HOME: join(dir, "xdg"),
        HOME: join(dir, "home"),
        PATH: `${bin}:${Deno.env.get("PATH")}`,
      };
      const run = (...args: string[]) => cliWith(home, { env }, ...args);
      const calls = () => Deno.readTextFile(log).catch(() => "");
      try {
        await Deno.mkdir(bin);
        await fakeSystemctl(bin);

        // Nothing installed: said so, nothing run.
        const none = await run("scheduler", "stop");
        assert.equal(none.code, 0, show(none));
        assert.match(none.stdout, /no drain trigger installed .*nothing to disable\n$/);
        assert.equal(await calls(), "");

        assert.equal((await run("worker", "install", "--interval", "5m")).code, 0);
        await Deno.remove(log);

        const stop = okJson(await run("scheduler", "stop", "--json"));
        assert.equal(stop.state, "stopped");
        assert.deepEqual(
          [stop.trigger.installed, stop.trigger.enabled, stop.trigger.ok],
          [true, false, true],
        );
        assert.equal(await calls(), "--user disable --now memoryoss-drain.timer\n");
        for (const f of ["memoryoss-drain.timer", "memoryoss-drain.service"]) {
          assert.ok((await Deno.stat(join(units, f))).isFile, `${f} was removed`);
        }

        const start = await run("scheduler", "start");
        assert.equal(start.code, 0, show(start));
        assert.match(
          start.stdout,
          /drain trigger enabled, files kept: systemctl --user enable --now memoryoss-drain\.timer\n/,
        );
        assert.equal(
          await calls(),
          "--user disable --now memoryoss-drain.timer\n--user enable --now memoryoss-drain.timer\n",
        );

        // systemctl refuses: the switch still happens; a warning names what to run by hand.
        await fakeSystemctl(bin, 1);
        const refused = await run("scheduler", "stop");
        assert.equal(refused.code, 0, show(refused));
        assert.match(refused.stdout, /drain trigger NOT disabled/);
        assert.match(
          refused.stderr,
          /^warning: systemctl exited 1: Failed to connect to bus; run by hand: systemctl --user disable --now memoryoss-drain\.timer\n$/,
        );
        assert.equal(okJson(await cli(home, "scheduler", "status", "--json")).state, "stopped");
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  },
);

/** Queue `content` in namespace t as if remembered at `at`; returns its queue id. */
function enqueueAt(
  store: Store,
  config: Awaited<ReturnType<typeof loadConfig>>,
  content: string,
  at: Date,
) {
  return enqueueRemember(store, config.config, { namespace: "t", content }, at).queue_id;
}

Deno.test("scheduler start: never-attempted rows queued over 7 days ago become stale, never drained", async () => {
  await withHome(async (home) => {
    const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
    const store = Store.open(loaded.dbPath, {
      encryption: encryptionFromConfig(loaded.keyPath, loaded.config.encryption),
    });
    const now = Date.now();
    let old: number, tried: number, recent: number;
    try {
      old = enqueueAt(
        store,
        loaded,
        "The old build farm sits in rack nine",
        new Date(now - 8 * DAY),
      );
      tried = enqueueAt(
        store,
        loaded,
        "Nightly exports land in bucket seven",
        new Date(now - 8 * DAY),
      );
      recent = enqueueAt(
        store,
        loaded,
        "The wiki moved to the docs portal",
        new Date(now - 6 * DAY),
      );
      // Tried once already (a drain claimed it and failed): not "never attempted".
      assert.ok(countQueueTry(store, tried, "pid1-test", new Date(now - 7.5 * DAY).toISOString()));
    } finally {
      store.close();
    }

    const start = okJson(await sched(home, "start", "--json"));
    assert.equal(start.state, "started");
    assert.equal(start.stale_marked, 1);

    const stale = okJson(await cli(home, "scheduler", "queue", "--status", "stale", "--json"));
    assert.deepEqual(
      stale.items.map((r: { id: number; status: string; attempts: number; content: string }) => [
        r.id,
        r.status,
        r.attempts,
        r.content,
      ]),
      [[old, "stale", 0, "The old build farm sits in rack nine"]],
    );
    const all = okJson(await cli(home, "scheduler", "queue", "--json"));
    assert.deepEqual(
      [all.queue.pending, all.queue.stale, all.queue.failed, all.queue.done],
      [2, 1, 0, 0],
    );
    assert.deepEqual(
      all.items.map((r: { id: number; status: string }) => [r.id, r.status]),
      [[recent, "pending"], [tried, "pending"], [old, "stale"]],
    );
    const failed = okJson(await cli(home, "scheduler", "queue", "--status", "failed", "--json"));
    assert.deepEqual(failed.items, []);

    // Idempotent: a second start marks nothing more.
    assert.equal(okJson(await sched(home, "start", "--json")).stale_marked, 0);
    const text = await sched(home, "start");
    assert.doesNotMatch(text.stdout, /marked stale/, show(text));

    // The drain applies the two pending rows, never the stale one.
    const ran = okJson(await cli(home, "scheduler", "drain", "--pending", "--json"));
    assert.equal(ran.processed, 2);
    assert.equal(ran.queue.pending, 0);
    // Every summary counts the stale row as stale, never as failed.
    assert.deepEqual([ran.queue.stale, ran.queue.failed], [1, 0]);
    const farm = await cli(home, "recall", "-n", "t", "which rack holds the old build farm");
    assert.doesNotMatch(farm.stdout, /rack nine/, show(farm));
    const wiki = await cli(home, "recall", "-n", "t", "where did the wiki move");
    assert.match(wiki.stdout, /docs portal/, show(wiki));

    const bad = await cli(home, "scheduler", "queue", "--status", "parked");
    assert.equal(bad.code, 3, show(bad));
    assert.match(bad.stderr, /--status takes pending, done, failed, stale, got 'parked'/);
  });
});
