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
  RuntimeContract,
  sha256Hex,
  toPlain,
  trustSubject,
  verify,
} from "../../lib/portable/mod.ts";
import { CONFORMANCE, FIXTURES, readConformance } from "./_helpers.ts";
import { needsPython, pythonReference } from "./_python.ts";

const STORED = {
  passport: "f854ea8fd52cc88eb0da55d7cc56c1f7dadcc88fba286b7a5e9e2a6caa29abc8",
  history: "177c0368416da1a6dd6d307f8453ff3da816baa43b2dce0d5147d62ca04c2c54",
} as const;

// sha256sum of the published files in shared/fixtures/memoryoss-conformance/ (recorded by
// hand when they were copied): the repo copies must stay byte-identical to them. Tests read
// only the repo, so the digests stand in for the originals.
const PUBLISHED_SHA256: Record<string, string> = {
  "fixtures/history-bundle.json":
    "12367d14a0dd9debff180abd7e27e6c9f93003a455806cb3463ad4eecede8f52",
  "fixtures/passport-bundle.json":
    "51f0fef66037c7a08b407d2f0fea3e5e7dd2eb0ff5e15336d58f4aeaafe2f523",
  "fixtures/runtime-contract.json":
    "725232bac7ce52088ef8015a776d95c3e44c60d3c114fd4837721600f8028a6e",
  "schemas/history-bundle.schema.json":
    "f8de80577bd0b36111df5de0137fc446cac4eaa9de0d09ee7f342841b381e8a2",
  "schemas/passport-bundle.schema.json":
    "0303eb6d8322f733d2e9b01fff89b5cee4ebe41ab5088696afbdcc0d079ac08e",
  "schemas/runtime-contract.schema.json":
    "18ad747921ef2b246aa4b53dc066bbbab9663364dbceafd133d4829805a985b5",
};

Deno.test("repo copies of the conformance kit are byte-identical to the published files", () => {
  for (const [rel, digest] of Object.entries(PUBLISHED_SHA256)) {
    assert.equal(sha256Hex(Deno.readFileSync(new URL(rel, CONFORMANCE))), digest, rel);
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

  Deno.test(`fixture ${file}: normalize prints the expected file (checked against Python below)`, () => {
    const text = readConformance(file);
    const out = normalize(kind, text);
    assert.equal(out, readConformance(expectedFile(file)));
    assert.equal(normalize(kind, new TextEncoder().encode(text)), out, "bytes in, same out");
    // The published fixtures are already in the reference layout, so the expected files equal
    // them; that alone would let an identity function pass, hence the Python oracle and the
    // hand-written vectors (tests/fixtures/conformance-handwritten/), whose outputs differ.
  });
}

function expectedFile(fixture: string): string {
  return `expected/${fixture.split("/")[1].replace(".json", "")}.normalized.json`;
}

Deno.test(
  needsPython("expected normalized files are what Python's json prints (reference normalizer)"),
  async () => {
    const cases = [
      ...FIXTURES.map(({ file, kind }) => ({ kind, input: file, expected: expectedFile(file) })),
      {
        kind: "passport" as const,
        input: "vectors/passport-lexemes.json",
        expected: "expected/passport-lexemes.normalized.json",
      },
    ];
    const refs = await pythonReference(
      cases.map((c) => ({ kind: c.kind, text: readConformance(c.input) })),
    );
    cases.forEach((c, i) => {
      assert.equal(readConformance(c.expected), refs[i].normalized, c.expected);
      assert.equal(normalize(c.kind, readConformance(c.input)), refs[i].normalized, c.input);
      if (c.kind !== "runtime_contract") {
        assert.equal(refs[i].computed, refs[i].stored, `${c.input}: Python verifies it too`);
        assert.equal(
          canonicalPayload(c.kind, parseJson(readConformance(c.input))),
          refs[i].payload,
        );
      }
    });
  },
);

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

Deno.test("lexeme vector: normalize keeps what the reference keeps; --typed is the Rust view", () => {
  const text = readConformance("vectors/passport-lexemes.json");
  const out = normalize("passport", text);
  assert.equal(out, readConformance("expected/passport-lexemes.normalized.json"));
  assert.ok(out.includes('"confidence": 1.0'), "integral float keeps its .0");
  assert.ok(out.includes('"x_future_score": 0.5') && out.includes('"x_producer": "not covered'));
  assert.ok(out.includes('"exported_at": "2026-03-13T00:00:00.120000Z"'), "timestamp text kept");
  assert.ok(out.includes('"Café rule: deploy via /v1/proxy\\tonly'), "escapes decoded");
  assert.equal(normalize("passport", out), out, "the reference output verifies and is stable");

  const typed = normalize("passport", text, { view: "typed" });
  assert.equal(typed, readConformance("expected/passport-lexemes.typed.json"));
  assert.ok(typed.includes('"confidence": 1.0'));
  assert.ok(typed.includes('"exported_at": "2026-03-13T00:00:00.120Z"'), "chrono re-prints");
  assert.ok(!typed.includes("x_future"), "unknown fields dropped");
  assert.ok(!typed.includes('"agent": null') && !typed.includes('"review_events": []'));
  // The typed view drops hashed additive fields, so it no longer matches the stored hash; the
  // Rust runtime refuses the input itself for the same reason (see verify's warning).
  assert.throws(() => normalize("passport", typed), /payload_sha256 mismatch/);
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
