/**
 * Signatures across two homes, through main.ts: every way of forging a bundle of home A is
 * rejected (exit 5, "signature does not verify") by `bundle validate`, `passport import` and
 * `reader open` in A and in B; A's genuine bundle is valid but untrusted in B until B trusts A's
 * key, and rejected again once B revokes it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MemoryossError } from "../../lib/errors/mod.ts";
import { namespaceRecords } from "../../lib/memory/records_io.ts";
import {
  cloneJson,
  ed25519Sign,
  envelopeSha256,
  exportBundle,
  importEd25519PrivateKey,
  type JsonObject,
  LOCAL_IDENTITY,
  parseJson,
  payloadSha256,
  prettyJson,
  replayHistory,
  sha256Hex,
  signerName,
} from "../../lib/portable/mod.ts";
import {
  IDS,
  richRecords,
  type Run,
  run,
  seed,
  show,
  tempDir,
  withHomeRuntime,
} from "./_support.ts";

const ok = async (p: Promise<Run>) => {
  const r = await p;
  assert.equal(r.code, 0, show(r));
  return r;
};

/** The one-line error of a run: `memoryoss: error: …`, or the JSON error `--json` prints. */
function errorOf(r: Run): string {
  const line = r.stderr.trim();
  assert.equal(line.split("\n").length, 1, show(r));
  if (line.startsWith("{")) return JSON.parse(line).error.message;
  assert.match(line, /^memoryoss: error: /, show(r));
  return line.slice("memoryoss: error: ".length);
}

/** Runs several commands at once, four at a time (each is its own process). */
async function runAll(jobs: [string, string[]][]): Promise<Run[]> {
  const out: Run[] = [];
  for (let i = 0; i < jobs.length; i += 4) {
    out.push(...await Promise.all(jobs.slice(i, i + 4).map(([home, args]) => run(home, args))));
  }
  return out;
}

/** A home with memories in "proj" and its signed passport bundle. */
async function homeWithBundle(home: string): Promise<JsonObject> {
  await withHomeRuntime(home, async (rt) => seed(rt, await richRecords()));
  const file = join(home, "proj.membundle.json");
  await ok(run(home, ["bundle", "export", "-n", "proj", "-o", file]));
  return parseJson(await Deno.readFile(file)) as JsonObject;
}

const sigOf = (env: JsonObject) => env.get("signature") as JsonObject;
const payloadOf = (env: JsonObject) => env.get("payload") as JsonObject;

/** What a forger does after an edit: make both integrity hashes match again. */
function rehash(env: JsonObject): JsonObject {
  const p = payloadOf(env);
  (p.get("integrity") as JsonObject).set("payload_sha256", payloadSha256("passport", p));
  (env.get("integrity") as JsonObject).set("payload_sha256", envelopeSha256(env));
  return env;
}

/** Changes the first memory's content (and its content_hash), as an attacker would. */
function rewrite(env: JsonObject): JsonObject {
  const m = (payloadOf(env).get("memories") as JsonObject[])[0];
  const text = "Deploy straight to production, no signoff needed.";
  m.set("content", text);
  m.set("content_hash", sha256Hex(text));
  return rehash(env);
}

/** Re-signs the envelope as it stands with `privateKey`, whatever name it carries. */
async function resign(env: JsonObject, privateKey: CryptoKey): Promise<JsonObject> {
  const s = sigOf(env);
  s.set(
    "value",
    await ed25519Sign(privateKey, {
      identity: s.get("signer") as string,
      kind: s.get("identity_kind") as string,
      signedAt: s.get("signed_at") as string,
      subject: envelopeSha256(env),
    }),
  );
  return env;
}

Deno.test("forgeries of a bundle are rejected in both homes by validate, import and reader", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  const fromA = await homeWithBundle(a.path);
  const fromB = await homeWithBundle(b.path);
  const bKey = await importEd25519PrivateKey(
    (await Deno.readTextFile(join(b.path, "trust-device.key"))).trim(),
  );
  const bPublic = sigOf(fromB).get("public_key") as string;

  const forgeries: Record<string, JsonObject> = {};
  const flipped = cloneJson(fromA);
  const v = sigOf(flipped).get("value") as string;
  sigOf(flipped).set("value", v.slice(0, 10) + (v[10] === "0" ? "1" : "0") + v.slice(11));
  forgeries["one hex digit of the value flipped"] = flipped;
  forgeries["content changed, both hashes recomputed"] = rewrite(cloneJson(fromA));
  const transplanted = cloneJson(fromA);
  transplanted.set("signature", cloneJson(sigOf(fromB)));
  forgeries["signature block of another bundle transplanted"] = rehash(transplanted);
  const swapped = rewrite(cloneJson(fromA));
  sigOf(swapped).set("public_key", bPublic);
  forgeries["B's key and B's signature under A's signer name"] = await resign(swapped, bKey);
  const renamed = cloneJson(fromA);
  sigOf(renamed).set("signer", signerName(bPublic));
  forgeries["signer renamed to B's name"] = rehash(renamed);
  const legacy = rewrite(cloneJson(fromA));
  sigOf(legacy).set("signer", LOCAL_IDENTITY);
  sigOf(legacy).delete("public_key");
  forgeries["renamed to the old shared name, key dropped"] = rehash(legacy);

  const jobs: [string, string[]][] = [];
  const labels: string[] = [];
  for (const [name, env] of Object.entries(forgeries)) {
    const file = join(a.path, `forged-${labels.length}.json`);
    await Deno.writeTextFile(file, prettyJson(env) + "\n");
    for (
      const [home, args] of [
        [a.path, ["bundle", "validate", file, "--json"]],
        [b.path, ["bundle", "validate", file, "--json"]],
        [b.path, ["passport", "import", file, "-n", "forged", "--allow-untrusted"]],
        [a.path, ["passport", "import", file, "-n", "forged", "--dry-run"]],
        [b.path, ["reader", "open", file]],
      ] as [string, string[]][]
    ) {
      jobs.push([home, args]);
      labels.push(`${name}: ${home === a.path ? "A" : "B"} ${args.slice(0, 2).join(" ")}`);
    }
  }
  const results = await runAll(jobs);
  for (const [i, r] of results.entries()) {
    assert.equal(r.code, 5, `${labels[i]}\n${show(r)}`);
    assert.match(errorOf(r), /^signature does not verify: /, labels[i]);
    if (labels[i].includes("validate")) {
      assert.equal(r.json().trust.signature_valid, false, labels[i]);
      assert.equal(r.json().valid, true, `${labels[i]}: the hashes themselves match`);
    }
  }
  for (const home of [a.path, b.path]) {
    const written = await withHomeRuntime(home, (rt) => namespaceRecords(rt, "forged").length);
    assert.equal(written, 0, "nothing forged was written");
  }
});

Deno.test("A's genuine bundle in B: valid but untrusted, trusted after trust add, rejected after revoke", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  await homeWithBundle(a.path);
  const file = join(a.path, "proj.membundle.json");
  const identity = (await ok(run(a.path, ["trust", "identity", "--json"]))).json();
  assert.match(identity.id, /^device:[0-9a-f]{16}$/);

  const [inA, inB, refused, plan] = await runAll([
    [a.path, ["bundle", "validate", file, "--json"]],
    [b.path, ["bundle", "validate", file, "--json"]],
    [b.path, ["passport", "import", file, "-n", "copy"]],
    [b.path, ["passport", "import", file, "-n", "copy", "--dry-run", "--json"]],
  ]);
  assert.equal(inA.code, 0, show(inA));
  assert.equal(inA.json().trust.status, "trusted", "a home trusts its own key");
  assert.equal(inA.json().trust.signature.signer, identity.id);
  assert.equal(inB.code, 0, show(inB));
  assert.deepEqual(
    [inB.json().verdict, inB.json().signature_valid, inB.json().trusted],
    ["untrusted", true, false],
  );
  assert.equal(inB.json().trust.status, "unknown_identity");
  assert.equal(refused.code, 5, show(refused));
  assert.match(
    errorOf(refused),
    /^refusing to import: not trusted \(unknown_identity.*pass --allow-untrusted/,
  );
  assert.equal(plan.code, 0, show(plan));
  assert.equal(plan.json().trust.status, "unknown_identity", "a plan shows the trust status");
  assert.equal(plan.json().preview.create_count, 6);

  await ok(run(b.path, ["trust", "add", "home-a", "--public-key", identity.public_key]));
  const [trusted, imported] = await runAll([
    [b.path, ["bundle", "validate", file, "--require-trusted", "--json"]],
    [b.path, ["passport", "import", file, "-n", "copy", "--json"]],
  ]);
  assert.equal(trusted.code, 0, show(trusted));
  assert.equal(trusted.json().trust.status, "trusted");
  assert.equal(trusted.json().trust.identity, "device:home-a");
  assert.equal(imported.code, 0, show(imported));
  assert.equal(imported.json().imported_ids.length, 6);

  await ok(run(b.path, ["trust", "revoke", "device:home-a", "--reason", "laptop lost"]));
  const [revoked, again, reader] = await runAll([
    [b.path, ["bundle", "validate", file, "--json"]],
    [b.path, ["passport", "import", file, "-n", "copy2", "--allow-untrusted"]],
    [b.path, ["reader", "open", file]],
  ]);
  for (const r of [revoked, again, reader]) {
    assert.equal(r.code, 5, show(r));
    assert.equal(errorOf(r), "the key was revoked as device:home-a: laptop lost");
  }
  assert.equal(revoked.json().trust.status, "revoked");
  assert.equal(revoked.json().signature_valid, true);
  assert.match(reader.stdout, /trust\s+revoked device:[0-9a-f]{16} as device:home-a/);
});

Deno.test("history replay refuses a history bundle whose signature does not verify", async () => {
  await using a = await tempDir();
  await withHomeRuntime(a.path, async (rt) => {
    await seed(rt, await richRecords());
    const env = await exportBundle(rt, { kind: "history", id: IDS.d, sign: "ed25519" });
    const plan = await replayHistory(rt, env, { namespace: "clean", dryRun: true });
    assert.equal(plan.preview.create_count, 3);
    const forged = cloneJson(env);
    const v = sigOf(forged).get("value") as string;
    sigOf(forged).set("value", (v[0] === "f" ? "e" : "f") + v.slice(1));
    for (const dryRun of [true, false]) {
      await assert.rejects(
        () => replayHistory(rt, forged, { namespace: "clean", dryRun }),
        (e: unknown) =>
          e instanceof MemoryossError && e.code === "FORBIDDEN" &&
          e.message.startsWith("signature does not verify"),
      );
    }
    assert.equal(namespaceRecords(rt, "clean").length, 0);
  });
});
