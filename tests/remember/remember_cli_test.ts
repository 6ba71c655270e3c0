/** `remember` and `drain` as commands in child processes: output, exit codes, latency. */
import assert from "node:assert/strict";
import { homeWithQueue, spawnCmd } from "./_child.ts";

const dec = new TextDecoder();

async function run(home: string, args: string[], env: Record<string, string> = {}) {
  const t0 = performance.now();
  const o = await spawnCmd(home, args, "piped", env).output();
  return {
    code: o.code,
    stdout: dec.decode(o.stdout),
    stderr: dec.decode(o.stderr),
    wallMs: performance.now() - t0,
  };
}

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-remember-" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
}

Deno.test("remember cli: queues without network or embedding, and drain applies it", async () => {
  await withHome(async (home) => {
    await homeWithQueue(home, []); // first-run setup (config, key, migrations) is not the hot path
    const times: number[] = [];
    const walls: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await run(home, [
        "remember",
        "--json",
        "-n",
        "cli",
        "--category",
        "decision",
        "--tags",
        "deploy,policy",
        `Deploy window number ${i} is Tuesday`,
      ], { MEMORYOSS_TIMING: "1" });
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.action, "queued");
      assert.equal(out.queue_id, i + 1);
      assert.equal(out.namespace, "cli");
      times.push(Number(/timing: ([\d.]+) ms/.exec(r.stderr)![1]));
      walls.push(r.wallMs);
    }
    times.sort((a, b) => a - b);
    walls.sort((a, b) => a - b);
    console.log(
      `remember: median ${times[2].toFixed(1)} ms in-process, ${walls[2].toFixed(0)} ms wall`,
    );
    // Latency is a benchmark figure, not an assertion; what must hold is that the hot path needs
    // no network (it never builds an embedder): it runs with net denied.
    const noNet = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        new URL("../../main.ts", import.meta.url).pathname,
        "remember",
        "-n",
        "cli",
        "One more deploy note without network",
      ],
      env: { MEMORYOSS_HOME: home, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(noNet.code, 0, new TextDecoder().decode(noNet.stderr));

    const d = await run(home, ["drain", "--json"]);
    assert.equal(d.code, 0, d.stderr);
    const s = JSON.parse(d.stdout);
    assert.equal(s.lock, "acquired");
    // Same subject, changing number: the first is added, each later one updates the previous.
    // The unrelated note queued without network is its own ADD.
    assert.deepEqual(s.actions, { ADD: 2, UPDATE: 4, DELETE: 0, NONE: 0 });
    const text = await run(home, ["drain"]);
    assert.match(text.stdout, /^drained 0: 0 added/);
  });
});

Deno.test("remember cli: user mistakes exit 3 with one line and no stack", async () => {
  await withHome(async (home) => {
    for (
      const args of [
        ["remember", "--category", "nope", "text"],
        ["remember"],
        ["remember", "--bogus", "x"],
        ["drain", "--batch", "0"],
        ["drain", "extra"],
      ]
    ) {
      const r = await run(home, args);
      assert.equal(r.code, 3, `${args.join(" ")}: ${r.stderr}`);
      assert.ok(r.stderr.startsWith("memoryoss: error: "), r.stderr);
      assert.ok(!/^\s+at /m.test(r.stderr), r.stderr);
    }
  });
});
