/**
 * memoryOSS's `vault` key provider through main.ts, against a fake Vault on 127.0.0.1 that
 * speaks Vault's real Transit API (`POST /v1/transit/encrypt/<key>` `{plaintext: base64}` →
 * `{data:{ciphertext:"vault:v1:…"}}`, `…/decrypt/<key>`, `X-Vault-Token`, 403
 * `{"errors":["permission denied"]}`) and wraps with its own AES-GCM key, as Vault does.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "../cli/_helpers.ts";
import { fakeVault, TOKEN } from "./_fake_vault.ts";

const config = (url: string, token = TOKEN) =>
  `[encryption]\nprovider = "vault"\nvault_address = "${url}"\nvault_token = "${token}"\n`;

async function allText(dir: string): Promise<string> {
  let out = "";
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) out += await allText(p);
    else if (e.isFile) out += new TextDecoder().decode(await Deno.readFile(p));
  }
  return out;
}

const exists = (p: string) => Deno.stat(p).then(() => true, () => false);

Deno.test("vault: a fresh home keeps its key only wrapped by Vault; later runs unwrap it", async () => {
  const vault = await fakeVault();
  const home = await Deno.makeTempDir({ prefix: "memoryoss-vault-" });
  try {
    await Deno.writeTextFile(join(home, "memoryoss.toml"), config(vault.url));
    const s = await cli(home, "store", "-n", "v", "--json", "The launch codename is Bluebird.");
    assert.equal(s.code, 0, s.stderr);
    assert.equal(await exists(join(home, "memoryoss.key")), false, "no plaintext key on disk");
    const wrapped = JSON.parse(await Deno.readTextFile(join(home, "memoryoss.key.vault")));
    assert.equal(wrapped.format, "memoryoss.vault-key.v1");
    assert.match(wrapped.ciphertext, /^vault:v1:/);
    assert.equal((await Deno.stat(join(home, "memoryoss.key.vault"))).mode! & 0o777, 0o600);
    assert.deepEqual(vault.calls, ["encrypt token-ok", "decrypt token-ok"]); // wrapped, checked

    const r = await cli(home, "recall", "-n", "v", "--json", "launch codename");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().memories[0].content, "The launch codename is Bluebird.");
    assert.equal(vault.calls.at(-1), "decrypt token-ok"); // a new process unwraps again
    // The token is in the config only: never in another file or any output.
    const text = (await allText(home)).replace(config(vault.url), "");
    assert.ok(!text.includes(TOKEN));
    assert.ok(!(s.stdout + s.stderr + r.stdout + r.stderr).includes(TOKEN));
    const shown = await cli(home, "config", "show", "--json");
    assert.equal(shown.json().config.encryption.vault_token, "***");
    // doctor checks the wrapped key file instead of a plaintext one.
    const doc = await cli(home, "doctor", "--json");
    assert.match(doc.stdout, /memoryoss\.key\.vault is private/);
    assert.ok(!/memoryoss\.key does not exist/.test(doc.stdout), doc.stdout);
    // The memory is sealed: its text is not in the database in the clear.
    const db = new TextDecoder().decode(await Deno.readFile(join(home, "memoryoss.db")));
    assert.ok(!db.includes("The launch codename is Bluebird."));
  } finally {
    await vault.stop();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("vault: wrong token and Vault down are one-line errors; no plaintext key appears", async () => {
  const vault = await fakeVault();
  const home = await Deno.makeTempDir({ prefix: "memoryoss-vault-" });
  try {
    await Deno.writeTextFile(join(home, "memoryoss.toml"), config(vault.url));
    assert.equal((await cli(home, "store", "-n", "v", "A sealed note.")).code, 0);
    await Deno.writeTextFile(join(home, "memoryoss.toml"), config(vault.url, "hvs.wrong"));
    const denied = await cli(home, "recall", "-n", "v", "note");
    assert.equal(denied.code, 3, denied.stderr);
    assert.match(
      denied.stderr,
      /^memoryoss: error: Vault decrypt at .* failed: HTTP 403 \(permission denied\)\n$/,
    );
    await Deno.writeTextFile(join(home, "memoryoss.toml"), config(vault.url));
    await vault.stop();
    const down = await cli(home, "recall", "-n", "v", "note");
    assert.notEqual(down.code, 0);
    assert.match(
      down.stderr,
      /^memoryoss: error: cannot reach Vault at http:\/\/127\.0\.0\.1:\d+\/v1\/transit\/decrypt\/memoryoss/,
    );
    assert.equal(await exists(join(home, "memoryoss.key")), false);
  } finally {
    await vault.stop().catch(() => {});
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("vault: an existing home's key is wrapped (kept, with a warning), then works without it", async () => {
  const vault = await fakeVault();
  const home = await Deno.makeTempDir({ prefix: "memoryoss-vault-" });
  try {
    const s = await cli(home, "store", "-n", "v", "--json", "Rotate the staging certs monthly.");
    assert.equal(s.code, 0, s.stderr);
    await Deno.writeTextFile(join(home, "memoryoss.toml"), config(vault.url));
    const first = await cli(home, "recall", "-n", "v", "--json", "staging certs");
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /memoryoss\.key was wrapped by Vault .* still on disk/);
    assert.equal(first.json().memories[0].id, s.json().id);
    await Deno.remove(join(home, "memoryoss.key"));
    const again = await cli(home, "recall", "-n", "v", "--json", "staging certs");
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.json().memories[0].content, "Rotate the staging certs monthly.");
    assert.equal(again.stderr, "");
  } finally {
    await vault.stop();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("vault: aws_kms fails closed (exit 3), as in memoryOSS", async () => {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-vault-" });
  try {
    await Deno.writeTextFile(join(home, "memoryoss.toml"), '[encryption]\nprovider = "aws_kms"\n');
    const r = await cli(home, "status");
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /encryption\.provider: expected "local" or "vault" \(aws_kms is not supported\)/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
