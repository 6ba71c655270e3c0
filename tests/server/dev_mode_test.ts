/**
 * `memoryoss dev` through main.ts (memoryOSS's dev mode: mock embeddings, no TLS, relaxed
 * auth): requests without a key are admin in `default`, sent keys are still checked, no admin
 * key is made, `[tls]` is ignored, and it refuses to listen off loopback.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, MAIN } from "../cli/_helpers.ts";

async function startDev(home: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "dev", "--port", "0"],
    env: { MEMORYOSS_HOME: home, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  let url: string | undefined;
  while (!url) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`dev ended early:\n${out}\n${await stderr}`);
    out += value;
    url = /listening on (\S+)/.exec(out)?.[1];
  }
  const rest = (async () => {
    for (;;) if ((await reader.read()).done) return;
  })();
  return {
    url,
    out,
    async stop() {
      child.kill("SIGTERM");
      await rest;
      await stderr;
      return await child.status;
    },
  };
}

async function req(url: string, method: string, body?: unknown, key?: string) {
  const r = await fetch(url, {
    method,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: await r.json() };
}

Deno.test("dev: no key needed (admin in default), keys still checked, plain HTTP, no admin key", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-dev-" });
  // [tls] on in the config: dev serves plain HTTP anyway.
  await Deno.writeTextFile(join(home, "memoryoss.toml"), "[tls]\nenabled = true\n");
  const dev = await startDev(home);
  try {
    assert.match(dev.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(dev.out, /dev mode \(no key needed/);
    const stored = await req(`${dev.url}/v1/store`, "POST", { content: "Deploy on Fridays." });
    assert.equal(stored.status, 200, JSON.stringify(stored.json));
    const inspect = await req(`${dev.url}/v1/inspect/${stored.json.id}`, "GET");
    assert.equal(inspect.status, 200);
    assert.equal(inspect.json.namespace, "default");
    assert.equal(inspect.json.source_key, "dev"); // memoryOSS's provenance for dev writes
    const recall = await req(`${dev.url}/v1/recall`, "POST", { query: "when do we deploy?" });
    assert.equal(recall.json.memories[0].memory.id, stored.json.id);
    // Admin routes work without a key; other namespaces are outside the dev scope.
    assert.equal((await req(`${dev.url}/v1/admin/recent`, "GET")).status, 200);
    const other = await req(`${dev.url}/v1/store`, "POST", {
      content: "x y z",
      namespace: "other",
    });
    assert.equal(other.status, 403);
    assert.equal(other.json.error.code, "FORBIDDEN_NAMESPACE");
    const forged = await req(`${dev.url}/v1/recall`, "POST", { query: "deploy" }, "ek_forged");
    assert.equal(forged.status, 401);
    assert.equal(await Deno.stat(join(home, "admin.key")).then(() => true, () => false), false);
  } finally {
    const status = await dev.stop();
    assert.equal(status.code, 0);
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("dev: refuses a non-loopback address (exit 3, one line)", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-dev-" });
  try {
    const r = await cli(home, "dev", "--host", "0.0.0.0", "--port", "0");
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^memoryoss: error: --host 0\.0\.0\.0: dev mode .* loopback only\n$/);
    const help = await cli(home, "dev", "--help");
    assert.match(help.stdout, /Examples:[\s\S]*memoryoss dev --port 8000/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
