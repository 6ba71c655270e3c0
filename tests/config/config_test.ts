import assert from "node:assert/strict";
import {
  CONFIG_TEMPLATE,
  loadConfig,
  parseConfig,
  resolveHome,
  validateConfig,
} from "../../lib/config/mod.ts";
import { MemoryossError } from "../../lib/errors/mod.ts";

Deno.test("config: the commented template parses to exactly the defaults", () => {
  assert.deepEqual(parseConfig(CONFIG_TEMPLATE, "template"), validateConfig({}, "defaults"));
});

Deno.test("config: bad keys and values name the key and the expected form", () => {
  const cases: [string, RegExp][] = [
    ['[server]\nport = "x"\n', /f\.toml: server\.port: .*expected number/],
    ["[server]\nprot = 1\n", /server\.prot: unknown key/],
    ["[nosuch]\n", /nosuch: unknown key/],
    ["[recall.weights]\nvector = 2\n", /recall\.weights\.vector: .*<=1/],
    ['[embeddings]\nprovider = "magic"\n', /embeddings\.provider: .*builtin.*openai/],
    ["[server\n", /not valid TOML/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => parseConfig(text, "f.toml"), (e: unknown) => {
      assert.ok(e instanceof MemoryossError);
      assert.equal(e.code, "INVALID_CONFIG");
      assert.match(e.message, re);
      assert.ok(!e.message.includes("\n"), "one line");
      return true;
    });
  }
});

Deno.test("config: home resolution per OS and MEMORYOSS_HOME override", () => {
  const env = (m: Record<string, string>) => (k: string) => m[k];
  assert.equal(resolveHome(env({ MEMORYOSS_HOME: "/x" }), "linux"), "/x");
  assert.equal(resolveHome(env({ HOME: "/home/u" }), "linux"), "/home/u/.memoryoss");
  assert.match(
    resolveHome(env({ LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }), "windows"),
    /AppData.Local.memoryoss$/,
  );
  assert.throws(() => resolveHome(env({}), "linux"), /MEMORYOSS_HOME/);
});

Deno.test("config: first run writes the template and a 0600 32-byte key, once", async () => {
  const home = await Deno.makeTempDir();
  try {
    const env = (k: string) => (k === "MEMORYOSS_HOME" ? home : undefined);
    const a = await loadConfig({ env });
    assert.equal(a.configPath, `${home}/memoryoss.toml`);
    assert.equal(await Deno.readTextFile(a.configPath!), CONFIG_TEMPLATE);
    const key = await Deno.readFile(a.keyPath);
    assert.equal(key.length, 32);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(a.keyPath)).mode! & 0o777, 0o600);
    }
    await loadConfig({ env });
    assert.deepEqual(await Deno.readFile(a.keyPath), key, "key is never rewritten");
    assert.equal(a.dbPath, `${home}/memoryoss.db`);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("config: -c with a missing file is a config error, env overrides the api key", async () => {
  const home = await Deno.makeTempDir();
  try {
    await assert.rejects(
      () => loadConfig({ configPath: `${home}/nope.toml`, env: () => home }),
      /config file not found/,
    );
    await Deno.writeTextFile(`${home}/c.toml`, '[embeddings]\napi_key = "file"\n');
    const l = await loadConfig({
      configPath: `${home}/c.toml`,
      env: (k) =>
        k === "MEMORYOSS_HOME" ? home : k === "MEMORYOSS_EMBEDDINGS_API_KEY" ? "env" : undefined,
    });
    assert.equal(l.config.embeddings.api_key, "env");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
