/**
 * Seeded mutations of every artifact line: `verify` never escapes as an unhandled error. (The
 * trust decision under mutation is decision_fuzz_test.ts.)
 */
import assert from "node:assert/strict";
import { MemoryossError } from "../../lib/errors/mod.ts";
import {
  buildBundle,
  checkBundleSignature,
  detectKind,
  envelopeSha256,
  formatPath,
  type JsonValue,
  normalize,
  type NormalizeKind,
  parseJson,
  payloadSha256,
  prettyJson,
  verify,
  type VerifyResult,
} from "../../lib/portable/mod.ts";
import { mutate, MUTATIONS, prng, readConformance } from "./_helpers.ts";

const SEED = 0x5eed_2026;
const ROUNDS = 1000;

const passport = readConformance("fixtures/passport-bundle.json");
const SOURCES: { name: string; text: string }[] = [
  { name: "passport", text: passport },
  { name: "history", text: readConformance("fixtures/history-bundle.json") },
  { name: "runtime_contract", text: readConformance("fixtures/runtime-contract.json") },
  { name: "lexemes", text: readConformance("vectors/passport-lexemes.json") },
  { name: "bundle", text: prettyJson(buildBundle(parseJson(passport))) },
];

function assertWellFormed(r: VerifyResult, label: string): void {
  assert.equal(typeof r.ok, "boolean", label);
  assert.ok(
    ["runtime_contract", "passport", "history", "bundle", "unknown"].includes(r.kind),
    label,
  );
  assert.equal(r.ok, r.errors.length === 0, label);
  for (const issue of [...r.errors, ...r.warnings]) {
    assert.ok(Array.isArray(issue.path), label);
    assert.ok(issue.path.every((p) => typeof p === "string" || typeof p === "number"), label);
    assert.equal(typeof issue.message, "string", label);
    assert.ok(issue.message.length > 0, label);
    assert.ok(
      !issue.message.startsWith("internal verification failure"),
      `${label}: ${issue.message}`,
    );
  }
}

/** Only MemoryossError may escape the throwing APIs. */
function expectHandled(f: () => unknown, label: string): void {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof MemoryossError, `${label}: ${e instanceof Error ? e.stack : e}`);
  }
}

Deno.test(`fuzz: ${ROUNDS} seeded mutations never escape verify/parse as unhandled errors`, async () => {
  const rand = prng(SEED);
  const originals = SOURCES.map((s) => parseJson(s.text));
  const stats: Record<string, { total: number; failed: number }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const src = round % SOURCES.length;
    const { name, text } = SOURCES[src];
    const m = MUTATIONS[Math.floor(rand() * MUTATIONS.length)];
    const label = `round ${round} (seed ${SEED}) ${name}/${m}`;
    const input = mutate(text, m, rand);
    let r: VerifyResult;
    try {
      r = verify(input);
    } catch (e) {
      assert.fail(`${label}: verify threw ${e}`);
    }
    assertWellFormed(r, label);
    const s = stats[name] ??= { total: 0, failed: 0 };
    s.total++;
    if (!r.ok) s.failed++;

    // A hashed artifact that still verifies must hash exactly like the original did.
    if (r.ok && (name === "passport" || name === "history" || name === "lexemes")) {
      const kind = name === "lexemes" ? "passport" : name;
      const tree = input instanceof Uint8Array || typeof input === "string"
        ? parseJson(input)
        : input;
      assert.equal(payloadSha256(kind, tree), payloadSha256(kind, originals[src]), label);
    }
    if (r.ok && name === "bundle") {
      const tree = input instanceof Uint8Array || typeof input === "string"
        ? parseJson(input)
        : input;
      assert.equal(envelopeSha256(tree), envelopeSha256(originals[src]), label);
    }

    const text2 = input instanceof Uint8Array ? input : typeof input === "string" ? input : null;
    if (text2 !== null) expectHandled(() => parseJson(text2), `${label} parseJson`);
    const kind = (name === "lexemes" ? "passport" : name) as NormalizeKind | "bundle";
    if (kind !== "bundle") expectHandled(() => normalize(kind, input), `${label} normalize`);
    else {
      const tree = text2 === null ? input as JsonValue : (() => {
        try {
          return parseJson(text2);
        } catch {
          return null;
        }
      })();
      const check = await checkBundleSignature(tree, { hmacSecret: "s" });
      assert.ok(typeof check.status === "string", label);
      if (tree !== null) {
        assert.ok(detectKind(tree) === null || typeof detectKind(tree) === "string");
      }
    }
  }
  // Hashed lines catch (nearly) every mutation; the rare survivors are hash-neutral edits such as
  // `\u00e9` -> `\u00E9`, which the assertion above proves.
  for (const name of ["passport", "history", "lexemes", "bundle"]) {
    const { total, failed } = stats[name];
    assert.ok(failed / total >= 0.97, `${name}: only ${failed}/${total} mutations detected`);
  }
  assert.equal(Object.values(stats).reduce((n, s) => n + s.total, 0), ROUNDS);
});

Deno.test("fuzz helpers: paths render and deep structures stay handled", () => {
  assert.equal(formatPath(["a", 0]), "a[0]");
  const deep = "[".repeat(5000) + "]".repeat(5000);
  const r = verify(deep);
  assert.equal(r.ok, false);
  assert.match(r.errors[0].message, /nesting deeper than 128/);
});
