/**
 * A home whose key file exists: `Keyring.ensureKeyFile` (run by every command that opens the
 * store with encryption on) writes nothing, so it needs no write access and leaves the key as
 * it was. Until 2026-12-08 it wrote, fsynced and removed a temp key file on every start.
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const KEYRING = new URL("../../lib/crypto/keyring.ts", import.meta.url).href;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const KEY = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

/** Runs ensureKeyFile on `keyPath` in a child process with these permission flags. */
async function ensureIn(keyPath: string, perms: string[]): Promise<Deno.CommandOutput> {
  const scriptDir = await Deno.makeTempDir({ prefix: "memoryoss-key-script-" });
  try {
    const script = join(scriptDir, "ensure.ts");
    await Deno.writeTextFile(
      script,
      `import { Keyring } from ${JSON.stringify(KEYRING)};\n` +
        `Keyring.ensureKeyFile(${JSON.stringify(keyPath)}, () => null);\nconsole.log("ok");\n`,
    );
    return await new Deno.Command(Deno.execPath(), {
      // The repo's config: the script sits outside the project, and the keyring's imports
      // resolve through its import map.
      args: ["run", "--config", CONFIG, "--no-lock", "--quiet", ...perms, script],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
  } finally {
    await Deno.remove(scriptDir, { recursive: true });
  }
}

async function names(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

Deno.test("ensureKeyFile: an existing key needs no write access and stays byte for byte", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-key-exists-" });
  try {
    const keyPath = join(dir, "memoryoss.key");
    await Deno.writeFile(keyPath, KEY, { mode: 0o600 });
    const out = await ensureIn(keyPath, ["--allow-read", "--allow-env"]);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.equal(new TextDecoder().decode(out.stdout).trim(), "ok");
    assert.deepEqual(await Deno.readFile(keyPath), KEY);
    assert.deepEqual(await names(dir), ["memoryoss.key"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ensureKeyFile: a missing key is still created, 32 bytes, mode 0600, nothing else", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-key-new-" });
  try {
    const keyPath = join(dir, "memoryoss.key");
    const out = await ensureIn(keyPath, ["--allow-read", "--allow-env", `--allow-write=${dir}`]);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const st = await Deno.stat(keyPath);
    assert.equal(st.size, 32);
    assert.equal(st.mode! & 0o777, 0o600);
    assert.deepEqual(await names(dir), ["memoryoss.key"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
