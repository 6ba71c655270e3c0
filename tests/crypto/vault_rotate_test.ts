/**
 * `encryption rotate` in a Vault home (`[encryption] provider = "vault"`) through main.ts,
 * against the fake Vault (tests/crypto/_fake_vault.ts, Vault's real Transit wire format): the
 * new key reaches `memoryoss.keyring` only wrapped (`vault:v1:…`, no plaintext `key`), keys an
 * earlier rotation stored in plaintext get wrapped on the next start, backups keep the wrapped
 * keyring, and restore's missing-key warning speaks of the Vault files. Oracles: the fake
 * Vault's own unwrap and a key id computed here (12 hex digits of SHA-256, docs/encryption.md).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "../cli/_helpers.ts";
import { createBackup } from "../../lib/backup/mod.ts";
import { fakeVault, TOKEN } from "./_fake_vault.ts";

const config = (url: string) =>
  `[encryption]\nprovider = "vault"\nvault_address = "${url}"\nvault_token = "${TOKEN}"\n`;
const FACT = "The launch codename is Bluebird.";

async function kid(key: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", key));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 12);
}

interface RingKey {
  kid: string;
  state: string;
  key?: string;
  wrapped?: string;
}

async function ring(home: string): Promise<RingKey[]> {
  return JSON.parse(await Deno.readTextFile(join(home, "memoryoss.keyring"))).keys;
}

Deno.test("vault: rotate stores the new key only wrapped; a new process unwraps it", async () => {
  const vault = await fakeVault();
  const home = await Deno.makeTempDir({ prefix: "memoryoss-vault-rot-" });
  try {
    await Deno.writeTextFile(join(home, "memoryoss.toml"), config(vault.url));
    const s = await cli(home, "store", "-n", "v", "--json", FACT);
    assert.equal(s.code, 0, s.stderr);
    const before = vault.calls.length;
    const r = await cli(home, "encryption", "rotate", "--json");
    assert.equal(r.code, 0, r.stderr);
    const active = r.json().active_kid as string;
    // The rotation wrapped its new key (encrypt, then a check decrypt) before storing it.
    assert.deepEqual(vault.calls.slice(before + 1, before + 3), [
      "encrypt token-ok",
      "decrypt token-ok",
    ]);
    const keys = await ring(home);
    assert.ok(keys.every((k) => k.key === undefined), JSON.stringify(keys));
    const entry = keys.find((k) => k.kid === active)!;
    assert.equal(entry.state, "active");
    assert.match(entry.wrapped!, /^vault:v1:/);
    // What Vault unwraps it to is the key whose id the rotation reported.
    assert.equal(await kid(await vault.unwrap(entry.wrapped!)), active);
    assert.equal((await Deno.stat(join(home, "memoryoss.keyring"))).mode! & 0o777, 0o600);
    assert.equal(
      await Deno.stat(join(home, "memoryoss.key")).then(() => true, () => false),
      false,
      "no plaintext key file",
    );
    // A new process unwraps the ring key and reads the memory sealed with it; new writes too.
    const rec = await cli(home, "recall", "-n", "v", "--json", "launch codename");
    assert.equal(rec.code, 0, rec.stderr);
    assert.equal(rec.json().memories[0].content, FACT);
    const st = await cli(home, "encryption", "status", "--json");
    assert.equal(st.code, 0, st.stderr);
    assert.equal(st.json().keys.find((k: { state: string }) => k.state === "active").kid, active);
    assert.ok(!JSON.stringify(await ring(home)).includes('"key"'));
  } finally {
    await vault.stop();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("vault: a key rotated in plaintext before switching to Vault is wrapped on the next start", async () => {
  const vault = await fakeVault();
  const home = await Deno.makeTempDir({ prefix: "memoryoss-vault-rot-" });
  try {
    assert.equal((await cli(home, "store", "-n", "v", FACT)).code, 0);
    const r = await cli(home, "encryption", "rotate", "--json");
    assert.equal(r.code, 0, r.stderr);
    const active = r.json().active_kid as string;
    const plain = (await ring(home)).find((k) => k.kid === active)!;
    assert.ok(plain.key, "a local rotation keeps the key in the keyring (base64)");
    await Deno.writeTextFile(join(home, "memoryoss.toml"), config(vault.url));
    const rec = await cli(home, "recall", "-n", "v", "--json", "launch codename");
    assert.equal(rec.code, 0, rec.stderr);
    assert.equal(rec.json().memories[0].content, FACT);
    const now = (await ring(home)).find((k) => k.kid === active)!;
    assert.equal(now.key, undefined, "the plaintext left the keyring");
    assert.match(now.wrapped!, /^vault:v1:/);
    assert.equal(await kid(await vault.unwrap(now.wrapped!)), active);
    // Without memoryoss.key (wrapped too, by the same start) everything still opens.
    await Deno.remove(join(home, "memoryoss.key"));
    const again = await cli(home, "recall", "-n", "v", "--json", "launch codename");
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.json().memories[0].content, FACT);
  } finally {
    await vault.stop();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("vault: backups keep the wrapped keyring; restore's key warning knows Vault homes", async () => {
  const vault = await fakeVault();
  const home = await Deno.makeTempDir({ prefix: "memoryoss-vault-rot-" });
  const work = await Deno.makeTempDir({ prefix: "memoryoss-vault-bak-" });
  try {
    await Deno.writeTextFile(join(home, "memoryoss.toml"), config(vault.url));
    assert.equal((await cli(home, "store", "-n", "v", FACT)).code, 0);
    const rot = await cli(home, "encryption", "rotate", "--json");
    assert.equal(rot.code, 0, rot.stderr);
    const active = rot.json().active_kid as string;

    // Default backup (no --include-key): the keyring holds only wrapped keys, so it is kept.
    const archive = join(work, "b.tar.zst");
    const b = await cli(home, "backup", "-o", archive, "--json");
    assert.equal(b.code, 0, b.stderr);
    const fresh = join(work, "fresh");
    const r = await cli(fresh, "restore", archive, "--json");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().vault, true);
    assert.equal(r.json().missing_kid, null);
    assert.match(r.stderr, /note: .* keeps its key wrapped by Vault \(memoryoss\.key\.vault\)/);
    assert.ok(!/put the original memoryoss\.key/.test(r.stderr), r.stderr);
    const rec = await cli(fresh, "recall", "-n", "v", "--json", "launch codename");
    assert.equal(rec.code, 0, rec.stderr);
    assert.equal(rec.json().memories[0].content, FACT);

    // An archive without the keyring: the warning names the key and the Vault files.
    const bare = join(work, "bare.tar.zst");
    await createBackup({
      home,
      dbPath: join(home, "memoryoss.db"),
      keyFiles: [join(home, "memoryoss.key"), join(home, "memoryoss.keyring")],
      includeKey: false,
      output: bare,
      now: new Date(),
      version: "test",
    });
    const lost = join(work, "lost");
    const w = await cli(lost, "restore", bare, "--json");
    assert.equal(w.code, 0, w.stderr);
    assert.equal(w.json().missing_kid, active);
    assert.match(
      w.stderr,
      new RegExp(
        `warning: \\d+ restored memories are encrypted with key ${active}, which neither ` +
          "memoryoss\\.key\\.vault nor memoryoss\\.keyring in .* names",
      ),
    );
  } finally {
    await vault.stop();
    await Deno.remove(home, { recursive: true });
    await Deno.remove(work, { recursive: true });
  }
});
