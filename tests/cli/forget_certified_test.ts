/**
 * `memoryoss forget --certified` through main.ts, the twin of DELETE /v1/forget/certified:
 * it deletes, and the certificate checks by hand: leaves are the contents' SHA-256 (memoryOSS
 * §2.4), the Merkle root pairs neighbours, and the Ed25519 signature verifies with Web Crypto
 * and the printed public key alone.
 */
import assert from "node:assert/strict";
import { assertExit, cli, withHome } from "./_helpers.ts";

const hex = async (s: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
const bytes = (h: string) => Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));

/** Compact JSON with object keys sorted (JCS for strings, ints and arrays). */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${
      Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`).join(",")
    }}`;
  }
  return JSON.stringify(v);
}

Deno.test("forget --certified: deletes and prints a certificate that checks by hand", async () => {
  await withHome(async (home) => {
    const contents = ["Temp note one about the cache.", "Temp note two about the queue."];
    for (const c of contents) assertExit(await cli(home, "store", "-n", "proj", "-t", "tmp", c), 0);
    assertExit(await cli(home, "store", "-n", "proj", "-t", "keep", "Keep the schema note."), 0);

    // --dry-run previews like forget does, deletes nothing, signs nothing.
    const dry = await cli(
      home,
      "forget",
      "--certified",
      "-n",
      "proj",
      "-t",
      "tmp",
      "--dry-run",
      "--json",
    );
    assertExit(dry, 0);
    assert.equal(dry.json().would_delete.count, 2);

    const r = await cli(home, "forget", "--certified", "-n", "proj", "-t", "tmp");
    assertExit(r, 0);
    assert.match(r.stderr, /deleted 2 from proj; merkle root [0-9a-f]{64}, signed by device:/);
    const out = r.json();
    const cert = out.certificate;
    assert.equal(cert.type, "deletion_certificate");
    assert.equal(cert.namespace, "proj");
    assert.equal(cert.deleted_count, 2);
    const leaves = await Promise.all(contents.map(hex));
    assert.deepEqual([...cert.leaf_hashes].sort(), [...leaves].sort());
    const [a, b] = cert.leaf_hashes;
    assert.equal(cert.merkle_root, await hex(a + b));

    const info = out.signature_info;
    assert.equal(info.subject, `deletion_certificate:${await hex(sortedJson(cert))}`);
    const message = sortedJson({
      identity: info.identity,
      identity_kind: info.identity_kind,
      scheme: info.scheme,
      signed_at: info.signed_at,
      subject: info.subject,
    });
    const key = await crypto.subtle.importKey("raw", bytes(info.public_key), "Ed25519", false, [
      "verify",
    ]);
    assert.ok(
      await crypto.subtle.verify(
        "Ed25519",
        key,
        bytes(out.signature),
        new TextEncoder().encode(message),
      ),
    );
    // The signer is this home's identity, as `trust identity` shows it.
    assert.equal(info.identity, (await cli(home, "trust", "identity", "--json")).json().id);

    const left = (await cli(home, "list", "-n", "proj", "--json")).json();
    assert.equal(JSON.stringify(left).includes("Temp note"), false, "deleted");
    assert.ok(JSON.stringify(left).includes("Keep the schema note."), "the other one stays");
  });
});

Deno.test("forget --certified: no match exits 4, unscoped or --all without --yes exit 3", async () => {
  await withHome(async (home) => {
    assertExit(await cli(home, "store", "-n", "proj", "A note."), 0);
    const none = await cli(home, "forget", "--certified", "-n", "proj", "-t", "nope");
    assertExit(none, 4);
    assert.match(none.stderr, /no memories match/);
    for (
      const args of [
        ["forget", "--certified", "-n", "proj"],
        ["forget", "--certified", "-n", "proj", "--all"],
        ["forget", "--certified", "stray"],
      ]
    ) {
      const r = await cli(home, ...args);
      assertExit(r, 3);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
    assert.match(
      (await cli(home, "forget", "--certified", "--help")).stdout,
      /memoryoss forget --certified -n proj --tags scratch/,
    );
  });
});
