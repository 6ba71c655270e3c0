/** End to end: the real `memoryoss serve` child process: listen, /health, 404, SIGTERM, port clash. */
import assert from "node:assert/strict";
import {
  assertNoStack,
  assertOneLineError,
  assertUserError,
  cli,
  type Json,
  MAIN,
  show,
  storeJson,
  withHome,
} from "../cli/_helpers.ts";

/** A running `memoryoss serve` child. */
interface Served {
  child: Deno.ChildProcess;
  /** The "listening on" URL, or a rejection with the output when the process ends first. */
  url: Promise<string>;
  /** All of stdout / stderr, once the process has ended. */
  stdout: Promise<string>;
  stderr: Promise<string>;
  /** Kill (if still running) and wait for everything; safe to call twice. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

const LISTENING = /memoryoss listening on (http:\/\/\S+)/;

function serve(home: string, ...args: string[]): Served {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "serve", ...args],
    env: { MEMORYOSS_HOME: home, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const { promise: url, resolve: onUrl, reject: onFail } = Promise.withResolvers<string>();
  url.catch(() => {}); // a caller that never asks for the URL must not see an unhandled rejection
  const stdout = (async () => {
    let text = "";
    let found = false;
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      const m = !found && LISTENING.exec(text);
      if (m) {
        found = true;
        onUrl(m[1]);
      }
    }
    if (!found) {
      onFail(new Error(`serve ended without listening:\n${text}\n--- stderr ---\n${await stderr}`));
    }
    return text;
  })();
  const timer = setTimeout(() => {
    onFail(new Error("serve did not print 'listening on' within 20 s"));
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, 20_000);
  const status = child.status.finally(() => clearTimeout(timer));
  return {
    child,
    url,
    stdout,
    stderr,
    async stop(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch { /* already exited */ }
      const s = await status;
      await Promise.all([stdout, stderr]);
      return s;
    },
  };
}

async function getJson(url: string): Promise<{ status: number; type: string; body: Json }> {
  const res = await fetch(url, { headers: { connection: "close" } });
  const body = await res.json();
  return { status: res.status, type: res.headers.get("content-type") ?? "", body };
}

Deno.test(
  "serve: --port 0 listens, /health is ok, unknown routes 404 JSON, SIGTERM stops cleanly, port clash is clear",
  async () => {
    await withHome(async (home) => {
      await storeJson(home, "-n", "demo", "The server should count this memory.");
      const s = serve(home, "--port", "0");
      let second: Served | undefined;
      try {
        const url = await s.url;
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
        const port = new URL(url).port;
        assert.notEqual(port, "0");

        const health = await getJson(`${url}/health`);
        assert.equal(health.status, 200);
        assert.match(health.type, /application\/json/);
        assert.equal(health.body.status, "ok");
        assert.equal(health.body.total_memories, 1);
        assert.equal(typeof health.body.version, "string");

        const missing = await getJson(`${url}/no/such/route`);
        assert.equal(missing.status, 404);
        assert.match(missing.type, /application\/json/);
        assert.equal(missing.body.error.code, "NOT_FOUND");

        // A second server on the same port: a clear error, non-zero exit, the first keeps going.
        second = serve(home, "--port", port);
        await assert.rejects(second.url);
        const st2 = await second.stop();
        const err2 = await second.stderr;
        assert.notEqual(st2.code, 0);
        assert.match(err2, /already in use/);
        assert.ok(!/^\s+at /m.test(err2), err2);
        assert.equal((await getJson(`${url}/health`)).body.status, "ok");

        // SIGTERM: finish, say so, exit 0.
        const st = await s.stop("SIGTERM");
        const out = await s.stdout;
        const err = await s.stderr;
        assert.equal(st.code, 0, `exit ${st.code}\n${out}\n${err}`);
        assert.match(out, /memoryoss stopped/);
        assert.ok(!/^\s+at /m.test(err), err);
      } finally {
        await second?.stop("SIGKILL");
        await s.stop("SIGKILL"); // no-op when already stopped
      }
    });
  },
);

Deno.test("serve: sees writes made by the CLI meanwhile; Ctrl-C (SIGINT) stops cleanly", async () => {
  await withHome(async (home) => {
    const s = serve(home, "--port", "0");
    try {
      const url = await s.url;
      assert.equal((await getJson(`${url}/health`)).body.total_memories, 0);
      await storeJson(home, "-n", "side", "Written by another process while serving.");
      assert.equal((await getJson(`${url}/health`)).body.total_memories, 1);
      const st = await s.stop("SIGINT");
      assert.equal(st.code, 0, await s.stderr);
      assert.match(await s.stdout, /memoryoss stopped/);
    } finally {
      await s.stop("SIGKILL");
    }
  });
});

Deno.test("serve: a port already taken by another program gives a one-line 'already in use' error", async () => {
  await withHome(async (home) => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const port = (listener.addr as Deno.NetAddr).port;
      const s = serve(home, "--port", String(port));
      await assert.rejects(s.url);
      const st = await s.stop();
      const err = await s.stderr;
      assert.notEqual(st.code, 0);
      assert.match(err, new RegExp(`127\\.0\\.0\\.1:${port} is already in use`));
      assert.equal(err.trim().split("\n").length, 1, err);
      assert.ok(!/^\s+at /m.test(err), err);
      assert.ok(!/internal error/.test(err), err);
      assert.doesNotMatch(await s.stdout, /listening/);
    } finally {
      listener.close();
    }
  });
});

Deno.test("serve: bad --port and stray arguments exit 3 before binding", async () => {
  await withHome(async (home) => {
    const [word, big, negative, extra, help] = await Promise.all([
      cli(home, "serve", "--port", "abc"),
      cli(home, "serve", "--port", "70000"),
      cli(home, "serve", "--port=-1"),
      cli(home, "serve", "extra"),
      cli(home, "serve", "--help"),
    ]);
    for (const r of [word, big, negative, extra]) {
      assertUserError(r, 3);
      assertOneLineError(r);
      assertNoStack(r);
    }
    assert.match(word.stderr, /--port/);
    assert.match(big.stderr, /--port/);
    assert.match(extra.stderr, /no arguments/);
    assert.equal(help.code, 0, show(help));
    assert.match(help.stdout, /SIGTERM/);
  });
});
