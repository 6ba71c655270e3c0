/**
 * `memoryoss trust` through main.ts: a second home trusts the first one's key (add), then
 * revokes it, rotates it (replace) and forgets it (remove); bad keys and a missing --yes are
 * caller mistakes (exit 3).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Run, run, seed, show, tempDir, withHomeRuntime } from "./_support.ts";
import { richRecords } from "./_support.ts";

const ok = async (p: Promise<Run>) => {
  const r = await p;
  assert.equal(r.code, 0, show(r));
  return r;
};

/** A home with memories in "proj" and a signed passport bundle of them. */
async function signedHome(home: string): Promise<{ bundle: string; key: string }> {
  await withHomeRuntime(home, async (rt) => seed(rt, await richRecords()));
  const bundle = join(home, "proj.membundle.json");
  await ok(run(home, ["bundle", "export", "-n", "proj", "-o", bundle]));
  const id = (await ok(run(home, ["trust", "identity", "--json"]))).json();
  return { bundle, key: id.public_key };
}

async function trustOf(home: string, bundle: string) {
  const r = await run(home, ["bundle", "validate", bundle, "--json"]);
  return { code: r.code, trust: r.json().trust };
}

Deno.test("trust CLI: identity, add, pin, revoke, replace, remove across two homes", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  await using c = await tempDir();
  const fromA = await signedHome(a.path);

  // b gets its own key, named by its fingerprint
  const bId = (await ok(run(b.path, ["trust", "identity", "--json"]))).json().id;
  assert.match(bId, /^device:[0-9a-f]{16}$/);
  const before = await trustOf(b.path, fromA.bundle);
  assert.equal(before.code, 0, "a valid signature by an unknown key still validates");
  assert.equal(before.trust.status, "unknown_identity");
  assert.equal(before.trust.signature_valid, true);
  assert.equal(before.trust.trusted, false);
  assert.match(before.trust.reason, /is not in the trust catalog/);

  // the key as a file holding `trust identity --json` output
  const keyFile = join(b.path, "a.identity.json");
  await Deno.writeTextFile(
    keyFile,
    (await ok(run(a.path, ["trust", "identity", "--json"]))).stdout,
  );
  const added = await ok(
    run(b.path, ["trust", "add", "laptop", "--public-key", keyFile, "--pin", "--json"]),
  );
  assert.equal(added.json().id, "device:laptop");
  assert.equal(added.json().pinned, true);
  const trusted = await trustOf(b.path, fromA.bundle);
  assert.equal(trusted.code, 0);
  assert.equal(trusted.trust.status, "trusted");
  assert.equal(trusted.trust.identity, "device:laptop");
  assert.equal(trusted.trust.origin, "local_pin");

  const dup = await run(b.path, ["trust", "add", "again", "--public-key", fromA.key]);
  assert.equal(dup.code, 4, show(dup));
  assert.match(dup.stderr, /already registered as 'device:laptop'/);

  await ok(run(b.path, ["trust", "revoke", "device:laptop", "--reason", "lost laptop"]));
  const revoked = await trustOf(b.path, fromA.bundle);
  assert.equal(revoked.code, 5);
  assert.equal(revoked.trust.status, "revoked");
  assert.match(revoked.trust.reason, /lost laptop/);

  // rotation: the old key stays revoked (naming its replacement), the new one is trusted
  const fromC = await signedHome(c.path);
  const rep = await ok(
    run(b.path, ["trust", "replace", "device:laptop", "--with", fromC.key, "--json"]),
  );
  assert.equal(rep.json().id, "device:laptop-2");
  assert.equal(rep.json().pinned, true, "the pin moves to the new identity");
  const old = await trustOf(b.path, fromA.bundle);
  assert.equal(old.trust.status, "revoked");
  assert.equal(old.trust.replacement_identity, "device:laptop-2");
  const rotated = await trustOf(b.path, fromC.bundle);
  assert.equal(rotated.trust.status, "trusted");
  assert.equal(rotated.trust.identity, "device:laptop-2");

  const list = (await ok(run(b.path, ["trust", "list", "--json"]))).json();
  const rows = Object.fromEntries(
    list.identities.map((r: { id: string }) => [r.id, r]),
  );
  assert.equal(rows["device:laptop"].status, "revoked");
  assert.equal(rows["device:laptop"].rotated_to, "device:laptop-2");
  assert.equal(rows["device:laptop-2"].status, "active");
  assert.ok(rows[bId], "b's own identity is listed");
  const text = await ok(run(b.path, ["trust", "show", "device:laptop"]));
  assert.match(text.stdout, /replaced_by\s+device:laptop-2/);

  const refused = await run(b.path, ["trust", "remove", "device:laptop"]);
  assert.equal(refused.code, 3, show(refused));
  assert.match(refused.stderr, /--yes/);
  assert.equal((await trustOf(b.path, fromA.bundle)).trust.status, "revoked");
  await ok(run(b.path, ["trust", "remove", "device:laptop", "--yes"]));
  assert.equal((await trustOf(b.path, fromA.bundle)).trust.status, "unknown_identity");
  const own = await run(b.path, ["trust", "remove", bId, "--yes"]);
  assert.equal(own.code, 3, show(own));
  assert.match(own.stderr, /this home's own signing identity/);
  const missing = await run(b.path, ["trust", "pin", "device:nobody"]);
  assert.equal(missing.code, 4, show(missing));
});

Deno.test("trust CLI: bad keys exit 3 with a clear message; --trust edits another catalog", async () => {
  await using h = await tempDir();
  for (const key of ["abc", "AAAA", "11".repeat(31), join(h.path, "missing.pub")]) {
    const r = await run(h.path, ["trust", "add", "x", "--public-key", key]);
    assert.equal(r.code, 3, show(r));
    assert.match(r.stderr, /^memoryoss: error: not an Ed25519 public key: expected 32 bytes/);
    assert.ok(!r.stderr.includes("    at "), "no stack trace");
  }
  const junk = join(h.path, "junk.pub");
  await Deno.writeTextFile(junk, "hello\n");
  const r = await run(h.path, ["trust", "add", "x", "--public-key", junk]);
  assert.equal(r.code, 3, show(r));
  assert.match(r.stderr, /junk\.pub: not an Ed25519 public key/);
  const none = await run(h.path, ["trust", "add", "x"]);
  assert.equal(none.code, 3, show(none));
  assert.match(none.stderr, /--public-key needs a public key/);

  // hex and PEM work as well as base64; --trust writes a separate catalog
  const catalog = join(h.path, "team.json");
  await ok(
    run(h.path, ["trust", "add", "hexkey", "--public-key", "3d".repeat(32), "--trust", catalog]),
  );
  const pem =
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n" +
    "-----END PUBLIC KEY-----\n";
  const pemFile = join(h.path, "k.pem");
  await Deno.writeTextFile(pemFile, pem);
  await ok(
    run(h.path, ["trust", "add", "author:ops", "--public-key", pemFile, "--trust", catalog]),
  );
  const ids = (await ok(run(h.path, ["trust", "list", "--trust", catalog, "--json"]))).json()
    .identities.map((i: { id: string; kind: string }) => `${i.id}/${i.kind}`);
  assert.deepEqual(ids, ["device:hexkey/device", "author:ops/author"]);
});

Deno.test("trust CLI: --help on the group and every subcommand", async () => {
  await using h = await tempDir();
  const group = await ok(run(h.path, ["trust", "--help"]));
  for (const sub of ["list", "add", "pin", "revoke", "replace", "show", "remove", "identity"]) {
    assert.match(group.stdout, new RegExp(`memoryoss trust ${sub}`));
    const r = await ok(run(h.path, ["trust", sub, "--help"]));
    assert.match(r.stdout, new RegExp(`trust ${sub}`));
  }
  const top = await ok(run(h.path, ["--help"]));
  assert.match(top.stdout, /trust\s+trust catalog/);
});
