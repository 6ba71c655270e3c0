/**
 * Named stores through the real CLI: create / use / list / current / remove, the current
 * store as every memory command's default namespace, MEMORYOSS_STORE overriding it, and the
 * literal words still storable with `store -- list` / `--content`.
 */
import assert from "node:assert/strict";
import { cli, cliWith } from "../cli/_helpers.ts";
import {
  createStore,
  currentStore,
  removeStore,
  resolveNamespace,
  useStore,
} from "../../lib/namespace/mod.ts";

async function withHome(fn: (home: string) => Promise<void>) {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-stores-" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("stores lib: create, use, env override, remove, resolveNamespace", async () => {
  await withHome((home) => {
    const env = (extra: Record<string, string> = {}) => (k: string) =>
      ({ MEMORYOSS_HOME: home, ...extra } as Record<string, string>)[k];
    assert.equal(currentStore(home, env()).name, "default");
    assert.equal(resolveNamespace(undefined, env()), "default");
    createStore(home, "work");
    createStore(home, "side", "side_ns");
    assert.throws(() => createStore(home, "work"), /already exists/);
    assert.throws(() => createStore(home, "bad name"), /invalid/);
    assert.throws(() => useStore(home, "nope"), /no store named 'nope'/);
    useStore(home, "work");
    assert.deepEqual(currentStore(home, env()).source, "file");
    assert.equal(resolveNamespace(undefined, env()), "work");
    assert.equal(resolveNamespace("explicit", env()), "explicit");
    assert.equal(resolveNamespace(undefined, env({ MEMORYOSS_STORE: "side" })), "side_ns");
    assert.throws(
      () => resolveNamespace(undefined, env({ MEMORYOSS_STORE: "zzz" })),
      /MEMORYOSS_STORE=zzz/,
    );
    assert.equal(removeStore(home, "work").was_current, true);
    assert.equal(currentStore(home, env()).name, "default");
    assert.throws(() => removeStore(home, "default"), /cannot be removed/);
    return Promise.resolve();
  });
});

Deno.test("stores CLI: the current store is the default namespace of memory commands", async () => {
  await withHome(async (home) => {
    let r = await cli(home, "store", "create", "work", "--json");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.json().name, r.json().namespace], ["work", "work"]);
    assert.equal((await cli(home, "store", "create", "work")).code, 4);
    r = await cli(home, "store", "use", "work");
    assert.match(r.stdout, /current store: work \(namespace work\)/);
    assert.equal(
      (await cli(home, "store", "current")).stdout.trim(),
      "work (namespace work; from file)",
    );

    r = await cli(home, "store", "Deploys go through the staging cluster first", "--json");
    assert.equal(r.code, 0, r.stderr);
    const id = r.json().id;
    assert.equal((await cli(home, "inspect", id, "--json")).json().namespace, "work");
    assert.equal(
      (await cli(home, "remember", "Remembered into the work store", "--json")).json().namespace,
      "work",
    );
    assert.equal((await cli(home, "drain")).code, 0);
    const listed = (await cli(home, "list", "--json")).json();
    assert.equal(listed.namespace, "work");
    assert.equal(listed.total, 2);
    const rec = (await cli(home, "recall", "staging cluster", "--json")).json();
    assert.equal(rec.namespace, "work");
    assert.equal(rec.memories[0].id, id);
    assert.equal(
      (await cli(home, "list", "-n", "default", "--json")).json().total,
      0,
      "--namespace wins",
    );
    const viaEnv = await cliWith(home, { env: { MEMORYOSS_STORE: "default" } }, "list", "--json");
    assert.equal(viaEnv.json().namespace, "default", "MEMORYOSS_STORE overrides current_store");
    const badEnv = await cliWith(home, { env: { MEMORYOSS_STORE: "ghost" } }, "list");
    assert.equal(badEnv.code, 3);
    assert.match(badEnv.stderr, /MEMORYOSS_STORE=ghost: no store with that name/);

    const ls = (await cli(home, "store", "list", "--json")).json();
    assert.equal(ls.current, "work");
    assert.deepEqual(
      ls.stores.map((s: { name: string; memories: number }) => [s.name, s.memories]),
      [
        ["default", 0],
        ["work", 2],
      ],
    );
    const text = await cli(home, "store", "list");
    assert.match(text.stdout, /^\* work\s+namespace work\s+2 memories$/m);

    r = await cli(home, "store", "remove", "work");
    assert.match(r.stdout, /namespace work is kept/);
    assert.equal((await cli(home, "list", "--json")).json().namespace, "default");
    assert.equal((await cli(home, "list", "-n", "work", "--json")).json().total, 2);
  });
});

Deno.test("stores CLI: `store -- list` and `--content list` store the words; bad input exits 3", async () => {
  await withHome(async (home) => {
    let r = await cli(home, "store", "--json", "--", "list");
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await cli(home, "inspect", r.json().id, "--json")).json().content, "list");
    r = await cli(home, "store", "--content", "use", "--json");
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await cli(home, "inspect", r.json().id, "--json")).json().content, "use");
    r = await cli(home, "store", "the list of things to use", "--json");
    assert.equal(r.code, 0, "a sentence starting with another word is a memory");
    for (
      const args of [
        ["store", "create"],
        ["store", "use", "a", "b"],
        ["store", "list", "extra"],
        ["store", "create", "bad/name"],
        ["store", "use", "--namespace", "x", "y"],
        ["store", "--content", "x", "and words"],
      ]
    ) {
      const b = await cli(home, ...args);
      assert.equal(b.code, 3, `${args.join(" ")}: ${b.stderr}`);
      assert.match(b.stderr, /^memoryoss: error: /);
    }
    assert.match((await cli(home, "store", "list", "extra")).stderr, /store -- list/);
    assert.equal((await cli(home, "store", "use", "nope")).code, 4);
    const h = await cli(home, "store", "create", "--help");
    assert.equal(h.code, 0);
    assert.match(h.stdout, /store create NAME \[--namespace NS\]/);
    assert.match((await cli(home, "store", "--help")).stdout, /memoryoss store -- list/);
  });
});
