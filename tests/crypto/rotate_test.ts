/**
 * Key rotation: every row re-wrapped, old keys retired only when unused, a writer with a stale
 * keyring follows the rotation, and a rotation killed with SIGKILL loses nothing and finishes
 * on the next `encryption rotate` (real child process through main.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { FieldCipher, Keyring } from "../../lib/crypto/mod.ts";
import { loadConfig } from "../../lib/config/mod.ts";
import { importText, openRuntime } from "../../lib/memory/mod.ts";
import {
  newRecord,
  rotateKeys,
  rowsWithKid,
  sealedKidInFile,
  Store,
  uuidv7,
} from "../../lib/store/mod.ts";
import { cli, MAIN } from "../cli/_helpers.ts";

const N = 150;

async function seededHome(): Promise<{ home: string } & AsyncDisposable> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-rotate-" });
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  const rt = await openRuntime(loaded);
  try {
    const lines = Array.from(
      { length: N },
      (_, i) => JSON.stringify({ content: `fact ${i}: the ${i}th wombat owns service svc-${i}` }),
    );
    const r = await importText(rt, lines.join("\n"), { namespace: "proj" });
    assert.equal(r.created, N);
  } finally {
    rt.close();
  }
  return { home, [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }) };
}

async function contents(home: string): Promise<string[]> {
  const r = await cli(home, "export", "--namespace", "proj");
  assert.equal(r.code, 0, r.stderr);
  return (r.json().memories as { content: string }[]).map((m) => m.content).sort();
}

Deno.test("rotate: a writer holding the old keyring follows the rotation", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const keyPath = join(dir, "memoryoss.key");
    Keyring.ensureKeyFile(keyPath, sealedKidInFile);
    const open = () =>
      Store.open(join(dir, "m.db"), {
        encryption: { cipher: new FieldCipher(Keyring.load(keyPath)), enabled: true, index: "on" },
      });
    const writer = open();
    const rotator = open();
    const old = writer.encryption!.cipher!.activeKid()!;
    const rec = (content: string) =>
      newRecord({ id: uuidv7(), content, namespace: "ns", created_at: new Date().toISOString() });
    writer.insert(rec("before"));
    const r = await rotateKeys(rotator);
    assert.deepEqual(r.retired, [old]);
    const pk = writer.insert(rec("after, from a stale process"));
    assert.equal(rowsWithKid(rotator, old), 0, "the stale writer used the new key");
    const fresh = open();
    assert.equal(fresh.getMany([pk])[0].record.content, "after, from a stale process");
    for (const s of [writer, rotator, fresh]) s.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rotate: two rotations at once add one key, and every row stays readable", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const keyPath = join(dir, "memoryoss.key");
    Keyring.ensureKeyFile(keyPath, sealedKidInFile);
    const open = () =>
      Store.open(join(dir, "m.db"), {
        encryption: { cipher: new FieldCipher(Keyring.load(keyPath)), enabled: true, index: "on" },
      });
    const a = open();
    const b = open();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = newRecord({
        id: uuidv7(),
        content: `row ${i}`,
        namespace: "ns",
        created_at: new Date().toISOString(),
      });
      a.insert(r);
      ids.push(r.id);
    }
    const [ra, rb] = await Promise.all([
      rotateKeys(a, { batch: 3, throttleMs: 2 }),
      rotateKeys(b, { batch: 3, throttleMs: 2 }),
    ]);
    assert.equal(ra.active_kid, rb.active_kid);
    assert.equal([ra.resumed, rb.resumed].filter(Boolean).length, 1);
    const fresh = open();
    assert.equal(fresh.encryption!.cipher!.keyring.entries().length, 2);
    assert.deepEqual(
      ids.map((id) => fresh.getById(id)!.record.content),
      ids.map((_, i) => `row ${i}`),
    );
    for (const s of [a, b, fresh]) s.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rotate: SIGKILL mid-rotation loses nothing; rotate again finishes it", async () => {
  await using h = await seededHome();
  const before = await contents(h.home);
  assert.equal(before.length, N);

  // A first rotation moves off memoryoss.key, so the second retires a keyring-only key.
  const first = await cli(h.home, "encryption", "rotate", "--json");
  assert.equal(first.code, 0, first.stderr);
  const k1 = first.json().active_kid as string;

  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      MAIN,
      "encryption",
      "rotate",
      "--batch",
      "5",
      "--throttle-ms",
      "40",
    ],
    env: { MEMORYOSS_HOME: h.home, NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let seen = "";
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
    const m = [...seen.matchAll(/rotate: (\d+)\/(\d+)/g)].pop();
    if (m && Number(m[1]) >= 20) {
      child.kill("SIGKILL");
      break;
    }
  }
  await reader.cancel().catch(() => {});
  const st = await child.status;
  assert.equal(st.signal, "SIGKILL", `child finished before the kill:\n${seen}`);

  // Mid-way: both keys on disk, every memory readable, the rotation reported unfinished.
  const mid = await cli(h.home, "encryption", "status", "--json");
  assert.equal(mid.code, 0, mid.stderr);
  const status = mid.json();
  assert.equal(status.rotation_pending, true);
  const k2 = status.active_kid as string;
  assert.notEqual(k2, k1);
  const rows = Object.fromEntries(
    (status.keys as { kid: string; rows: number }[]).map((k) => [k.kid, k.rows]),
  );
  assert.ok(rows[k1] > 0 && rows[k2] > 0, JSON.stringify(status.keys));
  assert.deepEqual(await contents(h.home), before);

  const again = await cli(h.home, "encryption", "rotate", "--json");
  assert.equal(again.code, 0, again.stderr);
  const r = again.json();
  assert.equal(r.resumed, true);
  assert.equal(r.active_kid, k2, "finishing does not create yet another key");
  assert.deepEqual(r.retired, [k1]);
  assert.equal(r.rewrapped, rows[k1]);
  assert.deepEqual(await contents(h.home), before);

  const done = (await cli(h.home, "encryption", "status", "--json")).json();
  assert.equal(done.rotation_pending, false);
  assert.equal(done.totals.encrypted, N);
  const ring = JSON.parse(await Deno.readTextFile(join(h.home, "memoryoss.keyring")));
  const gone = ring.keys.find((k: { kid: string }) => k.kid === k1);
  assert.equal(gone.state, "retired");
  assert.equal(gone.key, undefined, "a retired key's bytes are removed");
  // After a restart (new processes above), recall still finds rotated memories by keyword.
  const rec = await cli(h.home, "recall", "--namespace", "proj", "--json", "svc-42");
  assert.equal(rec.code, 0, rec.stderr);
  assert.match(rec.stdout, /the 42th wombat owns service svc-42/);
});
