/** End to end through the CLI modules: passport, bundle (signing + trust), history, conformance. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { namespaceRecords } from "../../lib/memory/records_io.ts";
import { parseTrustFabric } from "../../lib/portable/mod.ts";
import { CONFORMANCE } from "./_helpers.ts";
import {
  IDS,
  portable,
  richRecords,
  run,
  seed,
  show,
  tempDir,
  withHomeRuntime,
} from "./_support.ts";

const ok = async (p: Promise<Awaited<ReturnType<typeof run>>>) => {
  const r = await p;
  assert.equal(r.code, 0, show(r));
  return r;
};

Deno.test("passport CLI: export, dry-run preview, lossless import into a second home", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  const source = await withHomeRuntime(a.path, async (rt) => {
    await seed(rt, await richRecords());
    return namespaceRecords(rt, "proj", false).map((m) => portable(m.record));
  });
  const file = join(a.path, "proj.passport.json");
  const exp = await ok(
    run(a.path, ["passport", "export", "-n", "proj", "--scope", "all", "-o", file, "--json"]),
  );
  assert.equal(exp.json().memory_count, 7);
  const dry = await ok(
    run(a.path, ["passport", "import", file, "--namespace", "other", "--dry-run", "--json"]),
  );
  assert.equal(dry.json().preview.create_count, 7);
  assert.equal(dry.json().imported, false);
  const text = await ok(
    run(a.path, ["passport", "import", file, "--namespace", "other", "--dry-run"]),
  );
  assert.match(text.stdout, /other: create 7, merge 0, conflict 0 {2}\(dry run: nothing written\)/);
  // a bare passport is unsigned: writing it needs --allow-untrusted
  const refused = await run(b.path, ["passport", "import", file, "--json"]);
  assert.equal(refused.code, 5, show(refused));
  assert.match(
    refused.stderr,
    /not trusted \(unsigned: a bare passport carries no signature\).*pass --allow-untrusted/,
  );
  assert.equal(dry.json().trust.status, "unsigned", "the dry run shows the trust status");
  const imp = await ok(run(b.path, ["passport", "import", file, "--allow-untrusted", "--json"]));
  assert.equal(imp.json().imported_ids.length, 7);
  const copied = await withHomeRuntime(
    b.path,
    (rt) => namespaceRecords(rt, "proj").map((m) => portable(m.record)),
  );
  assert.deepEqual(copied, source);
});

Deno.test("bundle CLI: signed export, validate trusted / unknown / revoked / invalid, preview, diff", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  await withHomeRuntime(a.path, async (rt) => seed(rt, await richRecords()));
  const env = join(a.path, "proj.membundle.json");
  await ok(
    // read, write and env are enough: exporting never loads an embedder or touches the network
    run(a.path, ["bundle", "export", "--kind", "passport", "--namespace", "proj", "-o", env], {
      perms: ["--allow-read", "--allow-write", "--allow-env"],
    }),
  );
  const mine = await ok(run(a.path, ["bundle", "validate", env, "--json"]));
  assert.equal(mine.json().trust.status, "trusted", show(mine));
  assert.equal(mine.json().trust.origin, "local_registry");
  assert.equal(mine.json().verdict, "accepted");
  const elsewhere = await ok(run(b.path, ["bundle", "validate", env, "--json"]));
  assert.equal(elsewhere.json().trust.status, "unknown_identity");
  assert.equal(elsewhere.json().signature_valid, true);
  assert.equal(elsewhere.json().trusted, false);
  const strict = await run(b.path, ["bundle", "validate", env, "--require-trusted"]);
  assert.equal(strict.code, 5, show(strict));
  assert.match(strict.stderr, /^memoryoss: error: not trusted \(unknown_identity/);
  // a catalog holding the public key makes it trusted on another machine; revoking it…
  const fabric = parseTrustFabric(await Deno.readTextFile(join(a.path, "trust.json")), "t");
  const aId = fabric.identities[0].id;
  assert.match(aId, /^device:[0-9a-f]{16}$/);
  const catalog = join(b.path, "catalog.json");
  await Deno.writeTextFile(catalog, JSON.stringify(fabric));
  const shared = await ok(run(b.path, ["bundle", "validate", env, "--trust", catalog, "--json"]));
  assert.equal(shared.json().trust.status, "trusted");
  const revokedFile = join(b.path, "revoked.json");
  await Deno.writeTextFile(
    revokedFile,
    JSON.stringify({ ...fabric, revocations: [{ id: aId, reason: "stolen" }] }),
  );
  const revoked = await run(b.path, ["bundle", "validate", env, "--trust", revokedFile, "--json"]);
  assert.equal(revoked.code, 5, show(revoked));
  assert.equal(revoked.json().trust.status, "revoked");
  assert.match(revoked.stderr, /revoked as .*: stolen/);
  const tampered = join(a.path, "tampered.json");
  await Deno.writeTextFile(
    tampered,
    (await Deno.readTextFile(env)).replace("Releases ship on Tuesdays", "Releases ship on Sundays"),
  );
  // the hashes were not recomputed: an integrity failure (3) before any signature question
  const bad = await run(a.path, ["bundle", "validate", tampered]);
  assert.equal(bad.code, 3, show(bad));
  assert.match(bad.stdout, /integrity INVALID/);
  assert.match(bad.stdout, /trust\s+invalid_signature/);
  // the reader, holding read permission only, checks the signature against the key it carries
  const reader = await run(b.path, ["reader", "open", env], { perms: ["--allow-read"] });
  assert.equal(reader.code, 0, show(reader));
  assert.match(
    reader.stdout,
    /trust\s+unknown_identity device:[0-9a-f]{16} \(unknown_signer, signature valid\)/,
  );
  const withCatalog = await run(b.path, ["reader", "open", env, "--trust", catalog], {
    perms: ["--allow-read"],
  });
  assert.match(
    withCatalog.stdout,
    /trust\s+trusted device:[0-9a-f]{16} \(local_registry, signature valid\)/,
  );
  const pv = await ok(run(b.path, ["bundle", "preview", env, "--json"]));
  assert.equal(pv.json().kind, "passport");
  assert.equal(pv.json().memory_count, 6, "project scope leaves the personal memory out");
  const d = await ok(run(b.path, ["bundle", "diff", env, tampered, "--json"]));
  assert.deepEqual(d.json().added_preview, ["Releases ship on Sundays after the code freeze."]);
  const hmac = await ok(
    run(a.path, ["bundle", "export", "--sign", "hmac", "-n", "proj", "-o", env], {
      env: { MEMORYOSS_AUDIT_HMAC_SECRET: "s".repeat(40) },
    }),
  );
  assert.match(hmac.stderr, /\(hmac\)/);
  // HMAC is a shared secret: verified, never trusted
  const withSecret = await ok(run(a.path, ["bundle", "validate", env, "--json"], {
    env: { MEMORYOSS_AUDIT_HMAC_SECRET: "s".repeat(40) },
  }));
  assert.equal(withSecret.json().trust.status, "hmac_verified");
  assert.equal(withSecret.json().signature_valid, true);
  assert.equal(withSecret.json().trusted, false);
  const wrongSecret = await run(a.path, ["bundle", "validate", env], {
    env: { MEMORYOSS_AUDIT_HMAC_SECRET: "t".repeat(40) },
  });
  assert.equal(wrongSecret.code, 5, show(wrongSecret));
  assert.match(wrongSecret.stderr, /^memoryoss: error: signature does not verify/);
  const noSecret = await ok(run(a.path, ["bundle", "validate", env, "--json"]));
  assert.equal(noSecret.json().trust.status, "unverified");
  assert.equal(noSecret.json().signature_valid, null);
  const hmacImport = await run(a.path, ["passport", "import", env, "-n", "copy"], {
    env: { MEMORYOSS_AUDIT_HMAC_SECRET: "s".repeat(40) },
  });
  assert.equal(hmacImport.code, 5, show(hmacImport));
  assert.match(hmacImport.stderr, /not trusted \(hmac_verified.*--allow-untrusted/);
});

Deno.test("history CLI: show, export, replay (dry run, real, blocked), branch", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  await withHomeRuntime(a.path, async (rt) => seed(rt, await richRecords()));
  const showJ = await ok(run(a.path, ["history", "show", IDS.c, "--json"]));
  assert.deepEqual(showJ.json().edges, [{ from: IDS.b, to: IDS.c, kind: "superseded_by" }]);
  const h = join(a.path, "h.json");
  await ok(run(a.path, ["history", "export", IDS.d, "-o", h]));
  const dry = await ok(run(b.path, ["history", "replay", h, "--namespace", "clean", "--dry-run"]));
  assert.match(dry.stdout, /would restore 3 memories \(2 visible\) into clean/);
  // a bare history carries no signature: written only when the user says so
  const untrusted = await run(b.path, ["history", "replay", h, "--namespace", "clean"]);
  assert.equal(untrusted.code, 5, show(untrusted));
  assert.match(untrusted.stderr, /--allow-untrusted/);
  await ok(run(b.path, ["history", "replay", h, "--namespace", "clean", "--allow-untrusted"]));
  const blocked = await run(b.path, ["history", "replay", h, "--namespace", "clean", "--dry-run"]);
  assert.equal(blocked.code, 1, show(blocked));
  const again = await run(b.path, [
    "history",
    "replay",
    h,
    "--namespace",
    "clean",
    "--allow-untrusted",
  ]);
  assert.equal(again.code, 4, show(again));
  assert.match(again.stderr, /^memoryoss: error: target namespace 'clean' is not empty/);
  const br = await ok(
    run(a.path, ["history", "branch", IDS.c, "--target-namespace", "b", "--json"]),
  );
  assert.equal(br.json().imported_ids.length, 2);
  const missing = await run(a.path, ["history", "branch", IDS.c]);
  assert.equal(missing.code, 3, show(missing));
});

Deno.test("conformance CLI normalizes the published fixtures byte for byte", async () => {
  await using dir = await tempDir();
  const cases = [
    ["passport", "passport-bundle"],
    ["history", "history-bundle"],
    ["runtime_contract", "runtime-contract"],
  ];
  for (const [kind, name] of cases) {
    const input = new URL(`fixtures/${name}.json`, CONFORMANCE).pathname;
    const output = join(dir.path, `${name}.out.json`);
    await ok(
      run(dir.path, [
        "conformance",
        "normalize",
        "--kind",
        kind,
        "--input",
        input,
        "--output",
        output,
      ], {
        perms: ["--allow-read", "--allow-write"],
      }),
    );
    const want = await Deno.readTextFile(new URL(`expected/${name}.normalized.json`, CONFORMANCE));
    assert.equal(await Deno.readTextFile(output), want, kind);
    await ok(run(dir.path, ["conformance", "verify", input], { perms: ["--allow-read"] }));
  }
  const wrong = await run(dir.path, [
    "conformance",
    "normalize",
    "--kind",
    "history",
    "--input",
    new URL("fixtures/passport-bundle.json", CONFORMANCE).pathname,
  ], { perms: ["--allow-read"] });
  assert.equal(wrong.code, 3, show(wrong));
});

Deno.test("portable commands: group help, unknown subcommands and missing files", async () => {
  await using dir = await tempDir();
  for (const group of ["passport", "history", "bundle", "reader", "conformance", "adapter"]) {
    const help = await ok(run(dir.path, [group], { perms: ["--allow-read"] }));
    assert.match(help.stdout, new RegExp(`^memoryoss ${group} — `));
  }
  const unknown = await run(dir.path, ["passport", "bogus"], { perms: ["--allow-read"] });
  assert.equal(unknown.code, 3, show(unknown));
  assert.equal(unknown.stderr.trim().split("\n").length, 1);
  const missing = await run(dir.path, ["bundle", "preview", join(dir.path, "nope.json")]);
  assert.equal(missing.code, 4, show(missing));
  assert.match(missing.stderr, /^memoryoss: error: no such file/);
  const subHelp = await ok(
    run(dir.path, ["passport", "import", "--help"], { perms: ["--allow-read"] }),
  );
  assert.match(subHelp.stdout, /--dry-run/);
});
