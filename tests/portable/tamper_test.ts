import assert from "node:assert/strict";
import {
  buildBundle,
  cloneJson,
  envelopeSha256,
  formatPath,
  getPath,
  HISTORY_HASH_FIELDS,
  type JsonObject,
  type JsonPath,
  normalize,
  parseJson,
  PASSPORT_HASH_FIELDS,
  payloadSha256,
  verify,
} from "../../lib/portable/mod.ts";
import { leafPaths, mutateLeaf, readConformance, samePath, setPath } from "./_helpers.ts";

const HASH_PATH: JsonPath = ["integrity", "payload_sha256"];
const NESTED_HASH_PATH: JsonPath = ["payload", "integrity", "payload_sha256"];

/** Leaves of the published fixtures that the payload hash does NOT cover (spec §5.2/§5.3). */
const UNHASHED: Record<string, string> = {
  "integrity.signed": "only `integrity` is outside the passport hash; signed is not checked",
};

function fixture(kind: "passport" | "history"): JsonObject {
  return parseJson(readConformance(`fixtures/${kind}-bundle.json`)) as JsonObject;
}

for (const kind of ["passport", "history"] as const) {
  Deno.test(`${kind}: a one-byte change to any leaf fails verification naming the field`, async (t) => {
    const base = fixture(kind);
    const hashed = kind === "passport" ? PASSPORT_HASH_FIELDS : HISTORY_HASH_FIELDS;
    for (const path of leafPaths(base)) {
      const name = formatPath(path);
      await t.step(name, () => {
        const tree = setPath(cloneJson(base), path, mutateLeaf(getPath(base, path)!));
        const r = verify(tree);
        if (name in UNHASHED) {
          assert.equal(r.ok, true, UNHASHED[name]);
          return;
        }
        assert.equal(r.ok, false);
        const paths = r.errors.map((e) => e.path);
        if (samePath(path, HASH_PATH)) {
          assert.deepEqual(paths, [HASH_PATH]);
          assert.match(r.errors[0].message, /mismatch: stored .* computed /);
        } else if (samePath(path, ["integrity", "algorithm"])) {
          assert.deepEqual(paths, [path]);
          assert.match(r.errors[0].message, /unsupported integrity algorithm/);
        } else if (samePath(path, ["bundle_version"])) {
          assert.deepEqual(paths, [path], "an unknown line is named by its bundle_version");
        } else {
          assert.ok((hashed as readonly string[]).includes(path[0] as string), name);
          // The hash mismatch is always reported; any other error names the changed field.
          assert.ok(paths.some((p) => samePath(p, HASH_PATH)), `${name}: hash error`);
          for (const p of paths) {
            assert.ok(samePath(p, HASH_PATH) || samePath(p, path), `${name}: stray ${p}`);
          }
          const msg = r.errors.find((e) => samePath(e.path, HASH_PATH))!.message;
          assert.ok(hashed.every((f) => msg.includes(f)), "message names the covered fields");
        }
        if (path.at(-1) === "content") {
          assert.deepEqual(r.warnings.map((w) => w.path), [path], "content_hash names it");
        }
      });
    }
  });
}

Deno.test("passport: a schema-checked field changed by one byte is named exactly", () => {
  const table: [JsonPath, string][] = [
    [["scope"], "projecu"],
    [["memories", 0, "status"], "stalf"],
    [["memories", 1, "created_at"], "2026-03-11T10:00:00X"],
    [["memories", 0, "superseded_by"], "33333333-3333-7333-8333-33333333333g"],
    [["memories", 0, "review_events", 0, "action"], "supersedf"],
  ];
  for (const [path, value] of table) {
    const r = verify(setPath(fixture("passport"), path, value));
    assert.deepEqual(
      r.errors.map((e) => e.path).sort(),
      [HASH_PATH, path].sort(),
      formatPath(path),
    );
  }
});

Deno.test("additive fields: ignored by readers, inside the hash where nested, outside at top", () => {
  // Nested additive field: part of the as-received hash, so it breaks a stale hash...
  const nested = fixture("passport");
  (nested.get("memories") as JsonObject[])[0].set("x_new", "future");
  assert.deepEqual(verify(nested).errors.map((e) => e.path), [HASH_PATH]);
  // ...and verifies once the producer hashed it in; normalize keeps it, as the reference
  // normalizer does (the Rust typed view drops it).
  (nested.get("integrity") as JsonObject).set("payload_sha256", payloadSha256("passport", nested));
  const ok = verify(nested);
  assert.equal(ok.ok, true);
  assert.match(ok.warnings[0].message, /Rust runtime/, "flagged as non-portable to Rust");
  assert.ok(normalize("passport", nested).includes('"x_new": "future"'));
  assert.ok(!normalize("passport", nested, { view: "typed" }).includes("x_new"));

  // Top-level additive field: the hash object is built from the listed fields only.
  for (const kind of ["passport", "history"] as const) {
    const top = fixture(kind);
    top.set("x_new_top", parseJson('{"a":1}'));
    const r = verify(top);
    assert.deepEqual(r, { ...verify(fixture(kind)), kind });
    const published = readConformance(`fixtures/${kind}-bundle.json`);
    // kept at the end, where it was received: the fixture's closing brace gains a member
    const kept = published.replace(/\n}\n$/, ',\n  "x_new_top": {\n    "a": 1\n  }\n}\n');
    assert.equal(normalize(kind, top), kept);
    assert.equal(normalize(kind, top, { view: "typed" }), published);
  }

  // Runtime contract: no hash, unknown fields ignored by the reader and kept by normalize.
  const contract = parseJson(readConformance("fixtures/runtime-contract.json")) as JsonObject;
  contract.set("x_new", true);
  (contract.get("guarantees") as JsonObject[])[0].set("x_more", "y");
  assert.equal(verify(contract).ok, true);
  const normalized = normalize("runtime_contract", contract);
  assert.ok(normalized.endsWith('  ],\n  "x_new": true\n}\n'));
  assert.ok(normalized.includes('"x_more": "y"'));
  assert.equal(
    normalize("runtime_contract", contract, { view: "typed" }),
    readConformance("fixtures/runtime-contract.json"),
  );
});

Deno.test("key order matters for passport and history (as received), not for the envelope", () => {
  const p = fixture("passport");
  const m = (p.get("memories") as JsonObject[])[0];
  const reordered = new Map([...m].reverse());
  (p.get("memories") as JsonObject[])[0] = reordered;
  assert.deepEqual(verify(p).errors.map((e) => e.path), [HASH_PATH]);

  const env = buildBundle(fixture("passport"));
  const before = envelopeSha256(env);
  const shuffled = new Map([...env].reverse());
  const payload = shuffled.get("payload") as JsonObject;
  shuffled.set("payload", new Map([...payload].reverse()));
  assert.equal(envelopeSha256(shuffled), before);
  // The nested passport hash is as received, so reordering its top level is harmless only
  // because the hash object is rebuilt in the listed order.
  assert.equal(verify(shuffled).ok, true);
});

Deno.test("bundle envelope: a one-byte change to any leaf fails, naming the field", async (t) => {
  const base = buildBundle(fixture("passport"));
  assert.equal(verify(base).ok, true);
  for (const path of leafPaths(base)) {
    const name = formatPath(path);
    await t.step(name, () => {
      const tree = setPath(cloneJson(base), path, mutateLeaf(getPath(base, path)!));
      const r = verify(tree);
      assert.equal(r.ok, false);
      const paths = r.errors.map((e) => e.path);
      if (samePath(path, ["bundle_version"])) {
        assert.deepEqual(paths, [path]);
        return;
      }
      if (samePath(path, ["integrity", "algorithm"])) {
        assert.deepEqual(paths, [path]);
        return;
      }
      assert.ok(paths.some((p) => samePath(p, HASH_PATH)), `${name}: envelope hash error`);
      const allowed = [HASH_PATH, NESTED_HASH_PATH, path];
      for (const p of paths) {
        assert.ok(allowed.some((a) => samePath(a, p)), `${name}: stray error at ${formatPath(p)}`);
      }
      if (path[0] === "payload" && !samePath(path, NESTED_HASH_PATH)) {
        const nestedUnhashed = samePath(path, ["payload", "integrity", "signed"]) ||
          samePath(path, ["payload", "integrity", "algorithm"]) ||
          samePath(path, ["payload", "bundle_version"]);
        if (!nestedUnhashed) {
          assert.ok(paths.some((p) => samePath(p, NESTED_HASH_PATH)), `${name}: nested hash`);
        }
      }
    });
  }
});

Deno.test("bundle envelope: value, chain and additive fields are outside the envelope hash", () => {
  const base = buildBundle(fixture("passport"));
  const sig = base.get("signature") as JsonObject;
  sig.set("value", "00");
  sig.set("chain", []);
  base.set("x_new", "ignored");
  (base.get("reference") as JsonObject).set("x_ref", "ignored");
  assert.equal(verify(base).ok, true);
});

Deno.test("bundle envelope: nested failures and consistency are reported under payload", () => {
  const env = buildBundle(fixture("passport"));
  const history = fixture("history");
  env.set("payload", history);
  const r = verify(env);
  const paths = r.errors.map((e) => formatPath(e.path));
  assert.ok(paths.includes("kind"), "envelope kind vs payload kind");
  assert.ok(paths.includes("integrity.payload_sha256"));
  assert.ok(r.warnings.some((w) => samePath(w.path, ["bundle_id"])));

  const broken = buildBundle(fixture("passport"));
  broken.set("payload", "not an object");
  const b = verify(broken);
  assert.ok(b.errors.some((e) => samePath(e.path, ["payload"])));
  assert.equal(b.nested?.ok, false);
});
