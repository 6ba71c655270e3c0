/**
 * `openSealedAsync` (lib/store/sealed.ts): a one-shot recall's candidates and results opened
 * through WebCrypto in one batch, so reading them needs no synchronous (Node crypto) open. Rows sealed by the store
 * (Node's crypto) open through WebCrypto; a value sealed through WebCrypto opens on the
 * synchronous path; tampering and a moved value fail as reading them would.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { FieldCipher, Keyring } from "../../lib/crypto/mod.ts";
import type { MemoryossError } from "../../lib/errors/mod.ts";
import {
  newRecord,
  openSealedAsync,
  sealedKidInFile,
  Store,
  type StoreEncryption,
  uuidv7,
} from "../../lib/store/mod.ts";

const NOTES: [string, Record<string, unknown>][] = [
  ["The vault door code is 4417.", { speaker: "Ana", room: 3 }],
  ["Backups rotate every Sunday at 02:00.", {}],
];

async function sealedStore(): Promise<
  { s: Store; enc: StoreEncryption; ids: string[]; pks: number[] } & AsyncDisposable
> {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-openahead-" });
  const keyPath = join(dir, "memoryoss.key");
  Keyring.ensureKeyFile(keyPath, sealedKidInFile);
  const enc: StoreEncryption = {
    cipher: new FieldCipher(Keyring.load(keyPath)),
    enabled: true,
    index: "on",
    openAhead: true, // as the runtime of a one-shot recall sets it
  };
  const s = Store.open(join(dir, "m.db"), { encryption: enc });
  const ids: string[] = [];
  const pks: number[] = [];
  for (const [content, metadata] of NOTES) {
    const r = newRecord({
      id: uuidv7(),
      content,
      metadata,
      namespace: "ops",
      created_at: "2026-12-01T00:00:00.000Z",
    });
    ids.push(r.id);
    pks.push(s.insert(r));
  }
  return {
    s,
    enc,
    ids,
    pks,
    async [Symbol.asyncDispose]() {
      s.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The raw `content` and `metadata` columns of a row (sealed on disk). */
function rawRow(s: Store, pk: number): { content: string; metadata: string } {
  return s.prepare("SELECT content, metadata FROM memories WHERE pk = ?").get(pk) as {
    content: string;
    metadata: string;
  };
}

/** Make the synchronous open fail, so a read that still needs it shows. */
function forbidSyncOpen(enc: StoreEncryption): void {
  enc.cipher!.open = () => {
    throw new Error("synchronous open used");
  };
}

Deno.test("open ahead: rows sealed by the store open in one WebCrypto batch; reads then need no sync open", async () => {
  await using h = await sealedStore();
  for (const pk of h.pks) {
    const raw = rawRow(h.s, pk);
    assert.match(raw.content, /^enc1:[0-9a-f]{12}:/);
    assert.match(raw.metadata, /^enc1:[0-9a-f]{12}:/);
  }
  const records = h.s.getMany(h.pks).map((m) => m.record);
  await openSealedAsync(records);
  forbidSyncOpen(h.enc);
  assert.deepEqual(
    records.map((r) => [r.content, r.metadata]),
    [
      ["The vault door code is 4417.", { speaker: "Ana", room: 3 }],
      ["Backups rotate every Sunday at 02:00.", {}],
    ],
  );
  await openSealedAsync(records); // a second batch has nothing left to do
});

Deno.test("open ahead: a value sealed through WebCrypto opens on the synchronous path", async () => {
  await using h = await sealedStore();
  const ref = { namespace: "ops", id: h.ids[1], field: "content" };
  const sealed = await h.enc.cipher!.sealAsync(ref, "Backups moved to Saturday.");
  h.s.prepare("UPDATE memories SET content = ? WHERE pk = ?").run(sealed, h.pks[1]);
  assert.equal(h.s.getMany([h.pks[1]])[0].record.content, "Backups moved to Saturday.");
});

Deno.test("open ahead: a tampered or moved value fails the batch as reading it would", async () => {
  await using h = await sealedStore();
  const [a, b] = h.pks.map((pk) => rawRow(h.s, pk));
  const flip = a.content.slice(0, -3) + (a.content.at(-3) === "A" ? "B" : "A") +
    a.content.slice(-2);
  for (const value of [flip, b.content]) {
    h.s.prepare("UPDATE memories SET content = ? WHERE pk = ?").run(value, h.pks[0]);
    const [rec] = h.s.getMany([h.pks[0]]).map((m) => m.record);
    await assert.rejects(
      openSealedAsync([rec]),
      (e: MemoryossError) => e.code === "INTEGRITY" && e.message.includes(h.ids[0]),
    );
    assert.throws(() => rec.content, (e: MemoryossError) => e.code === "INTEGRITY");
  }
});

Deno.test("open ahead: a field changed or read before the batch keeps its value", async () => {
  await using h = await sealedStore();
  const [first, second] = h.s.getMany(h.pks).map((m) => m.record);
  first.content = "edited in memory";
  assert.equal(second.content, "Backups rotate every Sunday at 02:00.");
  await openSealedAsync([first, second]);
  assert.equal(first.content, "edited in memory");
  assert.deepEqual(first.metadata, { speaker: "Ana", room: 3 });
  assert.equal(second.content, "Backups rotate every Sunday at 02:00.");
});

Deno.test("open ahead: without openAhead (a process that opens synchronously) the batch does nothing", async () => {
  await using h = await sealedStore();
  h.enc.openAhead = false;
  const records = h.s.getMany(h.pks).map((m) => m.record);
  await openSealedAsync(records);
  forbidSyncOpen(h.enc);
  assert.throws(() => records[0].content, /synchronous open used/);
});

Deno.test("open ahead: only the fields asked for are opened ahead", async () => {
  await using h = await sealedStore();
  const [rec] = h.s.getMany([h.pks[0]]).map((m) => m.record);
  await openSealedAsync([rec], ["content"]);
  forbidSyncOpen(h.enc);
  assert.equal(rec.content, "The vault door code is 4417.");
  assert.throws(() => rec.metadata, /synchronous open used/);
});
