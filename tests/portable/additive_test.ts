/**
 * Additive fields of a newer producer's passport (issue 16): kept by normalize, stored with
 * each memory on import and written back, intact and hashed, by passport export, bundles and
 * history export. Inputs are the hand-written vectors; expected texts are written by hand.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { namespaceRecords } from "../../lib/memory/records_io.ts";
import {
  ADDITIVE_KEY,
  buildPassport,
  compactReceived,
  exportHistory,
  exportPassport,
  importPassport,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  normalize,
  parseJson,
  prettyJson,
  readAdditive,
  replayHistory,
  verify,
} from "../../lib/portable/mod.ts";
import { needsPython, pythonReference } from "./_python.ts";
import { portable, record, run, show, tempDir, withHomeRuntime } from "./_support.ts";

const DIR = new URL("../fixtures/conformance-handwritten/", import.meta.url);
const NEWER = new URL("additive.passport.json", DIR).pathname;
const newerText = () => Deno.readTextFileSync(NEWER);

const ID = (n: number) => `018f3000-0000-7000-8000-00000000001${n}`;
// The additive fields of the vector, as compact JSON in received order (written by hand).
const WANT = {
  top: '{"producer":"memoryOSS 0.3.0-newer","features":["salience","labels"]}',
  first: '{"salience":0.75,"weight":1.0,"labels":{"b":"second","a":"first"}}',
  second: '{"salience":0.5}',
  hint: "recheck in Q3",
};

/** The entry of `id` in a passport or history tree. */
function entry(tree: JsonValue, id: string): JsonObject {
  const memories = (tree as JsonObject).get("memories") as JsonObject[];
  const m = memories.find((x) => x.get("id") === id);
  assert.ok(m, `no entry ${id}`);
  return m;
}

/** Asserts the vector's additive fields are in `tree`, exactly. */
function assertAdditiveKept(tree: JsonValue, o: { top: boolean }): void {
  assert.ok(isJsonObject(tree));
  const top = tree.get("x_additive");
  assert.equal(top === undefined ? undefined : compactReceived(top), o.top ? WANT.top : undefined);
  assert.equal(compactReceived(entry(tree, ID(1)).get("x_additive")!), WANT.first);
  assert.equal(compactReceived(entry(tree, ID(2)).get("x_additive")!), WANT.second);
  assert.equal(entry(tree, ID(2)).get("x_review_hint"), WANT.hint);
  assert.ok(![...entry(tree, ID(3)).keys()].some((k) => k.startsWith("x_")), "none invented");
  const v = verify(tree);
  assert.deepEqual(v.errors, [], "the integrity hash covers them and holds");
}

Deno.test("readAdditive lists each entry's unknown fields and the document's, by lowercase id", () => {
  const tree = parseJson(newerText().replace(ID(1), ID(1).toUpperCase())) as JsonObject;
  const got = readAdditive(tree);
  assert.deepEqual([...got.keys()], [ID(1), ID(2), ID(3)]);
  assert.deepEqual(got.get(ID(1)), {
    entry: `{"x_additive":${WANT.first}}`,
    passport: `{"x_additive":${WANT.top}}`,
  });
  assert.deepEqual(got.get(ID(2)), {
    entry: `{"x_additive":${WANT.second},"x_review_hint":"${WANT.hint}"}`,
    passport: `{"x_additive":${WANT.top}}`,
  });
  assert.deepEqual(got.get(ID(3)), { passport: `{"x_additive":${WANT.top}}` });
});

Deno.test("a newer producer's additive fields survive passport import → export, twice", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  const exported = await withHomeRuntime(a.path, async (rt) => {
    const res = await importPassport(rt, parseJson(newerText()), {});
    assert.equal(res.preview.create_count, 3, JSON.stringify(res.preview.items));
    const stored = namespaceRecords(rt, "newer").map((m) => m.record);
    assert.deepEqual(stored.find((r) => r.id === ID(2))!.metadata[ADDITIVE_KEY], {
      entry: `{"x_additive":${WANT.second},"x_review_hint":"${WANT.hint}"}`,
      passport: `{"x_additive":${WANT.top}}`,
    });
    const tree = exportPassport(rt, { namespace: "newer", scope: "all" });
    assertAdditiveKept(tree, { top: true });
    // struct fields first, then the additive ones; our own extras block carries no copy
    assert.deepEqual([...entry(tree, ID(2)).keys()].slice(-2), ["x_additive", "x_review_hint"]);
    assert.ok(!prettyJson(tree.get("x_memoryoss") ?? null).includes(ADDITIVE_KEY));
    // importing the same passport again changes nothing
    const before = namespaceRecords(rt, "newer").map((m) => portable(m.record));
    const again = await importPassport(rt, parseJson(newerText()), {});
    assert.equal(again.preview.merge_count, 3);
    assert.deepEqual(namespaceRecords(rt, "newer").map((m) => portable(m.record)), before);
    return prettyJson(tree);
  });
  await withHomeRuntime(b.path, async (rt) => {
    await importPassport(rt, parseJson(exported), {});
    assertAdditiveKept(exportPassport(rt, { namespace: "newer", scope: "all" }), { top: true });
  });
});

Deno.test("history export and replay keep a memory's additive fields", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  const history = await withHomeRuntime(a.path, async (rt) => {
    await importPassport(rt, parseJson(newerText()), {});
    const tree = exportHistory(rt, ID(2), "newer");
    assert.equal(compactReceived(entry(tree, ID(2)).get("x_additive")!), WANT.second);
    assert.equal(tree.get("x_additive"), undefined, "a passport's top-level fields stay there");
    assert.deepEqual(verify(tree).errors, []);
    return prettyJson(tree);
  });
  await withHomeRuntime(b.path, async (rt) => {
    await replayHistory(rt, parseJson(history), { namespace: "copy", allowUntrusted: true });
    const [r] = namespaceRecords(rt, "copy").map((m) => m.record);
    assert.deepEqual(r.metadata[ADDITIVE_KEY], {
      entry: `{"x_additive":${WANT.second},"x_review_hint":"${WANT.hint}"}`,
    });
  });
});

Deno.test("a stored additive block never replaces a known field, and bad text is ignored", async () => {
  const mk = async (n: number, block: unknown) =>
    await record({
      id: `018f4000-0000-7000-8000-00000000000${n}`,
      namespace: "n",
      content: `Memory number ${n} of the guard test.`,
      created_at: `2026-04-0${n}T00:00:00.000Z`,
      metadata: { [ADDITIVE_KEY]: block, ticket: "T-1" },
    });
  const records = [
    await mk(1, {
      entry: '{"content":"forged","status":"stale","x_ok":1.0}',
      passport: '{"scope":"team","integrity":null,"x_top":true}',
    }),
    await mk(2, { entry: "{not json" }),
    await mk(3, { entry: '["not", "an", "object"]' }),
    await mk(4, "not a block"),
  ];
  const tree = buildPassport(records, {
    namespace: "n",
    scope: "all",
    passportId: "018f4000-0000-7000-8000-0000000000ff",
    exportedAt: new Date("2026-04-05T00:00:00Z"),
    contract: {
      contract_id: "memoryoss.runtime.v1alpha1",
      version: "2026-03-13",
      document_route: "/v1/runtime/contract",
      stable_semantics: [],
      experimental_layers_excluded: [],
    },
  });
  const first = entry(tree, records[0].id);
  assert.equal(first.get("content"), "Memory number 1 of the guard test.");
  assert.equal(first.get("status"), "active");
  assert.equal(String(first.get("x_ok")), "1.0", "the lexeme survives");
  assert.equal(tree.get("scope"), "all");
  assert.equal(tree.get("x_top"), true);
  for (const r of records.slice(1)) {
    assert.ok(![...entry(tree, r.id).keys()].some((k) => k.startsWith("x_")));
  }
  assert.deepEqual(verify(tree).errors, []);
  const extras = prettyJson(tree.get("x_memoryoss")!);
  assert.ok(extras.includes('"ticket": "T-1"') && !extras.includes(ADDITIVE_KEY));
});

const cli = async (home: string, args: string[]) => {
  const r = await run(home, args);
  assert.equal(r.code, 0, show(r));
  return r;
};

Deno.test(
  needsPython(
    "CLI: passport import → export → bundle → import keeps additive fields, hash checked by Python",
  ),
  async () => {
    await using a = await tempDir();
    await using b = await tempDir();
    const imported = await cli(a.path, [
      "passport",
      "import",
      NEWER,
      "--allow-untrusted",
      "--json",
    ]);
    assert.equal(imported.json().imported_ids.length, 3);
    const out = join(a.path, "newer.passport.json");
    await cli(a.path, ["passport", "export", "-n", "newer", "--scope", "all", "-o", out]);
    const text = await Deno.readTextFile(out);
    assertAdditiveKept(parseJson(text), { top: true });
    const bundle = join(a.path, "newer.membundle.json");
    await cli(a.path, [
      "bundle",
      "export",
      "-n",
      "newer",
      "--scope",
      "all",
      "--sign",
      "none",
      "-o",
      bundle,
    ]);
    const env = parseJson(await Deno.readTextFile(bundle)) as JsonObject;
    assert.deepEqual(verify(env).errors, [], "envelope and nested passport hashes hold");
    assertAdditiveKept(env.get("payload")!, { top: true });
    await cli(b.path, ["passport", "import", bundle, "--allow-untrusted"]);
    const again = await cli(b.path, ["passport", "export", "-n", "newer", "--scope", "all"]);
    assertAdditiveKept(parseJson(again.stdout), { top: true });
    // Python's json/hashlib agree that the exported hash holds and see the same fields.
    const [ref, refAgain] = await pythonReference([
      { kind: "passport", text },
      { kind: "passport", text: again.stdout },
    ]);
    assert.equal(ref.computed, ref.stored);
    assert.equal(refAgain.computed, refAgain.stored);
    for (const want of ['"weight": 1.0,', '"b": "second",', '"x_review_hint": "recheck in Q3"']) {
      assert.ok(ref.normalized.includes(want), want);
    }
    assert.equal(normalize("passport", text), ref.normalized, "our normalizer prints the same");
  },
);
