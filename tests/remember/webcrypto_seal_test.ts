/**
 * `remember` seals its queued fact through WebCrypto before the write transaction, so the
 * process never loads Node's crypto module; the row is the same sealed payload the drain opens,
 * and a rotation by another process between the seal and the transaction is followed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../lib/config/mod.ts";
import { Keyring, sealedKid } from "../../lib/crypto/mod.ts";
import { enqueueValidAsync } from "../../lib/memory/remember_queue.ts";
import {
  encryptionFromConfig,
  rememberPayloadRef,
  rotateKeys,
  Store,
} from "../../lib/store/mod.ts";
import { enqueueRememberPayload } from "../../lib/store/queue_sql.ts";
import { encryptionFromConfigAsync, sealFieldAsync } from "../../lib/store/sealed.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const dec = new TextDecoder();

async function tempHome(): Promise<{ home: string } & AsyncDisposable> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-remember-wc-" });
  return { home, [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }) };
}

function payloadOf(store: Store, id: number): string {
  const row = store.db.prepare("SELECT payload FROM remember_queue WHERE id = ?").get(id);
  return (row as { payload: string }).payload;
}

Deno.test("remember's early seal: kept while its key is active, sealed again after a rotation", async () => {
  await using h = await tempHome();
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? h.home : undefined) });
  const enc = await encryptionFromConfigAsync(loaded.keyPath, loaded.config.encryption);
  const store = Store.open(loaded.dbPath, { encryption: enc });
  try {
    const kid = Keyring.load(loaded.keyPath).activeKid()!;
    const r = await enqueueValidAsync(store, loaded.config, { content: "first fact", tags: ["a"] });
    const first = payloadOf(store, r.queue_id);
    assert.equal(sealedKid(first), kid);
    const ref = rememberPayloadRef("default");
    assert.equal(store.openValue(ref, first), '{"content":"first fact","tags":["a"]}');

    const json = '{"content":"second fact"}';
    const early = await sealFieldAsync(enc, ref, json);
    const kept = enqueueRememberPayload(store, "default", json, r.enqueued_at, early);
    assert.equal(
      payloadOf(store, kept),
      early,
      "no rotation in between: the early seal is the row",
    );

    const late = await sealFieldAsync(enc, ref, json);
    const other = Store.open(loaded.dbPath, {
      encryption: encryptionFromConfig(loaded.keyPath, loaded.config.encryption),
    });
    try {
      await rotateKeys(other); // another process rotates after the seal, before the transaction
    } finally {
      other.close();
    }
    const newKid = Keyring.load(loaded.keyPath).activeKid()!;
    assert.notEqual(newKid, kid);
    const id = enqueueRememberPayload(store, "default", json, r.enqueued_at, late);
    const row = payloadOf(store, id);
    assert.equal(sealedKid(row), newKid, "sealed again with the key the rotation made active");
    assert.equal(store.openValue(ref, row), json);
  } finally {
    store.close();
  }
});

/** The modules one run of `args` evaluates, from Deno's debug log (one per line). */
async function modulesOf(home: string, args: string[]): Promise<{ code: number; mods: string }> {
  const o = await new Deno.Command(Deno.execPath(), {
    args,
    env: { MEMORYOSS_HOME: home, NO_COLOR: "1", DENO_LOG: "debug" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const mods = [...dec.decode(o.stderr).matchAll(/ES module: ([^,\s]+)/g)].map((m) => m[1]);
  return { code: o.code, mods: mods.join("\n") };
}

Deno.test("remember loads no node:crypto (first run creating the key, and later), drain opens it", async () => {
  await using h = await tempHome();
  // The control: this log names Node's crypto module when a script imports it.
  const probe = join(h.home, "probe.ts");
  await Deno.writeTextFile(
    probe,
    'import { createHash } from "node:crypto";\nconsole.log(typeof createHash);\n',
  );
  const control = await modulesOf(h.home, ["run", "--quiet", probe]);
  assert.match(control.mods, /^ext:deno_node\/crypto\.ts$/m);

  for (const text of ["Deploys need staging signoff.", "Releases are tagged vX.Y.Z."]) {
    const r = await modulesOf(h.home, ["run", "-A", "--quiet", MAIN, "remember", text]);
    assert.equal(r.code, 0);
    assert.match(r.mods, /cli\/remember\.ts$/m, "the log lists the command's modules");
    assert.match(r.mods, /lib\/crypto\/cipher\.ts$/m, "the payload is sealed (the cipher ran)");
    assert.doesNotMatch(r.mods, /^ext:deno_node\/crypto\.ts$/m);
  }
  const drain = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "drain", "--json"],
    env: { MEMORYOSS_HOME: h.home, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(drain.code, 0, dec.decode(drain.stderr));
  const list = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "list", "--json"],
    env: { MEMORYOSS_HOME: h.home, NO_COLOR: "1" },
    stdout: "piped",
  }).output();
  const contents = (JSON.parse(dec.decode(list.stdout)).memories as { content: string }[])
    .map((m) => m.content).sort();
  assert.deepEqual(contents, ["Deploys need staging signoff.", "Releases are tagged vX.Y.Z."]);
});
