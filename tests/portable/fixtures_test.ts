import assert from "node:assert/strict";
import { MemoryossError } from "../../lib/errors/mod.ts";
import {
  canonicalPayload,
  detectKind,
  HistoryBundle,
  normalize,
  parseJson,
  PassportBundle,
  payloadSha256,
  prettyJson,
  RuntimeContract,
  sha256Hex,
  toPlain,
  trustSubject,
  typedTree,
  verify,
} from "../../lib/portable/mod.ts";
import { CONFORMANCE, FIXTURES, readConformance, SHARED_KIT } from "./_helpers.ts";

const STORED = {
  passport: "f854ea8fd52cc88eb0da55d7cc56c1f7dadcc88fba286b7a5e9e2a6caa29abc8",
  history: "177c0368416da1a6dd6d307f8453ff3da816baa43b2dce0d5147d62ca04c2c54",
} as const;

Deno.test("repo copies of the conformance kit are byte-identical to the shared originals", () => {
  let shared: URL;
  try {
    Deno.statSync(SHARED_KIT);
    shared = SHARED_KIT;
  } catch {
    return; // no shared tree on this machine: the repo copy is the reference
  }
  for (
    const rel of [
      ...FIXTURES.map((f) => f.file),
      "schemas/passport-bundle.schema.json",
      "schemas/history-bundle.schema.json",
      "schemas/runtime-contract.schema.json",
    ]
  ) {
    assert.deepEqual(
      Deno.readFileSync(new URL(rel, CONFORMANCE)),
      Deno.readFileSync(new URL(rel, shared)),
      rel,
    );
  }
});

for (const { file, kind } of FIXTURES) {
  Deno.test(`fixture ${file} verifies as ${kind}`, () => {
    const text = readConformance(file);
    const r = verify(text);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.ok, true);
    assert.equal(r.kind, kind);
    assert.equal(detectKind(parseJson(text)), kind);
    // Same verdict from bytes and from a parsed tree.
    assert.equal(verify(new TextEncoder().encode(text)).ok, true);
    assert.equal(verify(parseJson(text)).ok, true);
  });

  Deno.test(`fixture ${file}: normalize equals the fixture bytes and is stable`, () => {
    const text = readConformance(file);
    const out = normalize(kind, text);
    const expected = readConformance(
      `expected/${file.split("/")[1].replace(".json", "")}.normalized.json`,
    );
    assert.equal(out, expected);
    assert.equal(out, text, "the published fixtures are already in normal form");
    assert.equal(normalize(kind, out), out, "idempotent");
    assert.equal(normalize(kind, new TextEncoder().encode(text)), out, "bytes in, same out");
  });
}

for (const kind of ["passport", "history"] as const) {
  Deno.test(`${kind}: computed hash equals the stored one byte for byte`, () => {
    const tree = parseJson(readConformance(`fixtures/${kind}-bundle.json`));
    const computed = payloadSha256(kind, tree);
    assert.equal(computed, STORED[kind]);
    const r = verify(tree);
    assert.deepEqual(r.integrity, { stored: STORED[kind], computed: STORED[kind] });
    const payload = canonicalPayload(kind, tree);
    assert.ok(!/\s"|":\s|,\s/.test(payload.replace(/"(?:[^"\\]|\\.)*"/g, '""')), "no whitespace");
    assert.ok(!payload.includes('"integrity"'), "integrity is not covered");
    assert.ok(payload.startsWith(`{"bundle_version":"memoryoss.${kind}.v1alpha1",`));
  });
}

Deno.test("zod schemas accept the fixtures and ignore unknown additive fields", () => {
  const p = toPlain(parseJson(readConformance("fixtures/passport-bundle.json"))) as Record<
    string,
    unknown
  >;
  const parsed = PassportBundle.parse({ ...p, x_new_top: 1 });
  assert.ok(!("x_new_top" in parsed));
  assert.equal(parsed.memories[0].confidence, 0.94);
  assert.deepEqual(parsed.memories[0].derived_from, [], "absent optional list reads as []");
  const h = toPlain(parseJson(readConformance("fixtures/history-bundle.json")));
  assert.equal(HistoryBundle.parse(h).edges[0].kind, "superseded_by");
  const c = toPlain(parseJson(readConformance("fixtures/runtime-contract.json")));
  assert.equal(RuntimeContract.parse(c).object_model[2].known_gaps.length, 1);
});

Deno.test("runtime contract: each of the 9 required keys is required", () => {
  const keys = [
    "contract_id",
    "version",
    "runtime_name",
    "stable_semantics",
    "experimental_layers",
    "object_model",
    "guarantees",
    "api_mappings",
    "known_gaps",
  ];
  for (const key of keys) {
    const tree = parseJson(readConformance("fixtures/runtime-contract.json")) as Map<
      string,
      unknown
    >;
    tree.delete(key);
    const r = verify(tree as never);
    if (key === "contract_id" || key === "runtime_name") {
      assert.equal(r.kind, "unknown", "no longer recognisable as a contract");
    } else {
      assert.deepEqual(r.errors.map((e) => e.path), [[key]], key);
    }
    assert.equal(r.ok, false);
    assert.throws(() => normalize("runtime_contract", tree as never), (e: unknown) => {
      assert.ok(e instanceof MemoryossError);
      assert.equal(e.code, "INVALID_INPUT");
      assert.deepEqual(e.path, [key]);
      return true;
    });
  }
});

Deno.test("lexeme vector: 1.0, escapes, integer-like keys and exact timestamps hash as Python does", () => {
  const text = readConformance("vectors/passport-lexemes.json");
  const tree = parseJson(text);
  const python = readConformance("vectors/passport-lexemes.payload.txt");
  assert.equal(canonicalPayload("passport", tree), python);
  assert.ok(python.includes('"confidence":1.0'), "integral float keeps its .0");
  assert.ok(python.includes('"exported_at":"2026-03-13T00:00:00.120000Z"'), "timestamp kept");
  assert.ok(python.includes('"created_at":"2026-03-10T09:00:00+00:00"'), "offset kept");
  assert.ok(python.includes('{"2":"second","1":"first"}'), "received order, not JS order");
  assert.ok(python.includes("Café rule: deploy via /v1/proxy\\tonly after sign-off \\u001f 😀"));
  assert.ok(!python.includes("x_producer"), "top-level additive fields are outside the hash");
  const r = verify(text);
  assert.deepEqual(r.errors, []);
  assert.equal(r.ok, true);
  // Nested additive fields and non-chrono timestamps: the Rust runtime would hash differently.
  assert.deepEqual(r.warnings.map((w) => w.path), [["integrity", "payload_sha256"]]);
  assert.match(r.warnings[0].message, /Rust runtime .* would refuse this artifact/);
  // What a JSON.parse/JSON.stringify reader would compute instead: a different, wrong hash.
  const naive = JSON.parse(text);
  const naivePayload = JSON.stringify({
    bundle_version: naive.bundle_version,
    passport_id: naive.passport_id,
    runtime_contract: naive.runtime_contract,
    scope: naive.scope,
    namespace: naive.namespace,
    exported_at: naive.exported_at,
    provenance: naive.provenance,
    memories: naive.memories,
  });
  assert.notEqual(sha256Hex(naivePayload), r.integrity?.stored);
});

Deno.test("lexeme vector: normalize prints the Rust typed view", () => {
  const text = readConformance("vectors/passport-lexemes.json");
  const out = normalize("passport", text);
  assert.equal(out, readConformance("expected/passport-lexemes.normalized.json"));
  assert.ok(out.includes('"confidence": 1.0'));
  assert.ok(out.includes('"exported_at": "2026-03-13T00:00:00.120Z"'), "chrono re-prints");
  assert.ok(!out.includes("x_future"), "unknown fields dropped");
  assert.ok(!out.includes('"agent": null') && !out.includes('"review_events": []'));
  assert.equal(prettyJson(typedTree("passport", out)) + "\n", out, "stable typed view");
  // The typed view drops hashed additive fields, so it no longer matches the stored hash; the
  // Rust runtime refuses the input itself for the same reason (see verify's warning).
  assert.throws(() => normalize("passport", out), /payload_sha256 mismatch/);
});

Deno.test("normalize refuses a tampered passport with INTEGRITY and a wrong kind", () => {
  const text = readConformance("fixtures/passport-bundle.json").replace("signoff", "signofF");
  assert.throws(() => normalize("passport", text), (e: unknown) => {
    assert.ok(e instanceof MemoryossError);
    assert.equal(e.code, "INTEGRITY");
    assert.deepEqual(e.path, ["integrity", "payload_sha256"]);
    return true;
  });
  const history = readConformance("fixtures/history-bundle.json");
  assert.throws(() => normalize("passport", history), /not a valid passport/);
  assert.throws(() => normalize("passport", "{"), /invalid JSON/);
});

Deno.test("trust subjects hash the compact typed struct", () => {
  const text = readConformance("fixtures/passport-bundle.json");
  const subject = trustSubject("passport", text);
  assert.match(subject, /^passport:[0-9a-f]{64}$/);
  // For the published fixture the typed struct is the fixture itself, integrity included.
  const compact = JSON.stringify(JSON.parse(text));
  assert.equal(subject, `passport:${sha256Hex(compact)}`);
  assert.match(
    trustSubject("history", readConformance("fixtures/history-bundle.json")),
    /^history:/,
  );
});
