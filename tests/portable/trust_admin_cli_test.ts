/**
 * The `trust` twins of the admin trust routes, through main.ts: unpin, restore, catalog
 * export and import (memoryOSS trust catalog fields, spec §2.4). A key from a second home is
 * the identity; expectations are written by hand.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Run, run, show, tempDir } from "./_support.ts";

const ok = async (p: Promise<Run>) => {
  const r = await p;
  assert.equal(r.code, 0, show(r));
  return r;
};

Deno.test("trust CLI twins: unpin, restore, catalog export and import", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  await using c = await tempDir();
  const key = (await ok(run(a.path, ["trust", "identity", "--json"]))).json().public_key;
  await ok(run(b.path, ["trust", "add", "laptop", "--public-key", key, "--pin"]));
  const id = "device:laptop";

  const unpinned = (await ok(run(b.path, ["trust", "unpin", id, "--json"]))).json();
  assert.equal(unpinned.pinned, false);
  assert.equal(unpinned.status, "active");

  await ok(run(b.path, ["trust", "revoke", id, "--reason", "lost"]));
  const restored = (await ok(run(b.path, ["trust", "restore", id, "--json"]))).json();
  assert.equal(restored.status, "active");
  const again = await run(b.path, ["trust", "restore", id]);
  assert.equal(again.code, 4, show(again)); // CONFLICT: not revoked
  assert.match(again.stderr, /not revoked/);

  const file = join(b.path, "team.catalog.json");
  await ok(run(b.path, ["trust", "catalog", "export", "team-a", "--label", "Team A", "-o", file]));
  const cat = JSON.parse(await Deno.readTextFile(file));
  assert.equal(cat.catalog_id, "team-a");
  assert.equal(cat.label, "Team A");
  assert.ok(cat.identities.some((i: { id: string }) => i.id === id), JSON.stringify(cat));

  const imported = (await ok(run(c.path, ["trust", "catalog", "import", file, "--json"]))).json();
  assert.equal(imported.catalog_id, "team-a");
  assert.ok(imported.identity_count >= 1);
  const rows = (await ok(run(c.path, ["trust", "list", "--json"]))).json().identities;
  assert.ok(rows.some((r: { id: string }) => r.id === id), JSON.stringify(rows));
});

Deno.test("trust CLI twins: bad input exits 3 with one line", async () => {
  await using b = await tempDir();
  const bad = join(b.path, "bad.json");
  await Deno.writeTextFile(bad, "{not json");
  for (
    const args of [
      ["trust", "catalog", "frob", "x"],
      ["trust", "catalog", "import", join(b.path, "missing.json")],
      ["trust", "catalog", "import", bad],
      ["trust", "catalog", "export", "bad id!"],
      ["trust", "unpin"],
    ]
  ) {
    const r = await run(b.path, args);
    assert.equal(r.code, 3, `${args.join(" ")}\n${show(r)}`);
    assert.equal(r.stderr.trim().split("\n").length, 1, show(r));
  }
  const help = await ok(run(b.path, ["trust", "catalog", "--help"]));
  assert.match(help.stdout, /memoryoss trust catalog export team-a/);
});

Deno.test("trust sign / verify: a passport sidecar, trusted here, unknown elsewhere, tampered", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  const passport = join(a.path, "p.json");
  await ok(run(a.path, ["store", "-n", "t", "Deploys need a sign-off from ops."]));
  await ok(run(a.path, ["passport", "export", "-n", "t", "-o", passport]));
  const sig = join(a.path, "p.sig.json");
  await ok(run(a.path, ["trust", "sign", "passport", passport, "-o", sig]));
  const sidecar = JSON.parse(await Deno.readTextFile(sig));
  const own = (await ok(run(a.path, ["trust", "identity", "--json"]))).json();
  assert.equal(sidecar.identity, own.id);
  assert.equal(sidecar.scheme, "memoryoss.ed25519.v1");
  assert.match(sidecar.subject, /^passport:[0-9a-f]{64}$/);

  const verify = (home: string, file = passport) =>
    run(home, ["trust", "verify", "passport", file, "--signature", sig, "--json"]);
  const here = await ok(verify(a.path));
  assert.equal(here.json().trusted, true);
  const elsewhere = await verify(b.path);
  assert.equal(elsewhere.code, 5, show(elsewhere));
  assert.equal(elsewhere.json().status, "unknown_identity");
  await ok(run(b.path, ["trust", "add", "a", "--public-key", own.public_key]));
  assert.equal((await ok(verify(b.path))).json().trusted, true);

  const tampered = join(b.path, "tampered.json");
  await Deno.writeTextFile(
    tampered,
    (await Deno.readTextFile(passport)).replace("sign-off from ops", "sign-off from nobody"),
  );
  // A changed passport fails its own integrity hash before the signature is looked at.
  const bad = await verify(b.path, tampered);
  assert.notEqual(bad.code, 0, show(bad));
  assert.match(bad.stderr, /payload_sha256 mismatch/);
  const kind = await run(b.path, ["trust", "sign", "letter", passport]);
  assert.equal(kind.code, 3, show(kind));
  const noSig = await run(b.path, ["trust", "verify", "passport", passport]);
  assert.equal(noSig.code, 3, show(noSig));
});
