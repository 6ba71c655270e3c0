/**
 * End to end through main.ts with encryption on (the default for a new home): every read path
 * returns plaintext, the database holds none, a lost key is a clear exit-3 error, backups
 * without the key warn, decrypt-all needs --yes, and index = "off" drops keyword search.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { cli } from "../cli/_helpers.ts";

const SECRET = "The platypus ledger lives in bucket ochre-17";

async function tempHome(): Promise<{ home: string } & AsyncDisposable> {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-encpaths-" });
  return { home, [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }) };
}

function rawContents(dbPath: string): string[] {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return (db.prepare("SELECT content, metadata FROM memories").all() as {
      content: string;
      metadata: string;
    }[]).flatMap((r) => [r.content, r.metadata]);
  } finally {
    db.close();
  }
}

Deno.test("encryption on: recall, list, inspect, export and passport return plaintext", async () => {
  await using h = await tempHome();
  const s = await cli(h.home, "store", "--namespace", "proj", "--tags", "ledger", SECRET);
  assert.equal(s.code, 0, s.stderr);
  const id = s.stdout.trim().split(" ").pop()!;
  const toml = await Deno.readTextFile(join(h.home, "memoryoss.toml"));
  assert.match(toml, /^\[encryption\]$[^[]*^enabled = true$/m, "new homes write encryption on");
  for (const v of rawContents(join(h.home, "memoryoss.db"))) assert.match(v, /^enc1:/);

  const recall = await cli(h.home, "recall", "--namespace", "proj", "--json", "ochre-17 ledger");
  assert.equal(recall.code, 0, recall.stderr);
  assert.equal(recall.json().memories[0].content, SECRET);
  const list = await cli(h.home, "list", "--namespace", "proj", "--json");
  assert.match(list.stdout, /platypus ledger/);
  const inspect = await cli(h.home, "inspect", id, "--namespace", "proj", "--json");
  assert.match(inspect.stdout, /platypus ledger/);
  const exp = await cli(h.home, "export", "--namespace", "proj");
  assert.equal(exp.json().memories[0].content, SECRET);
  const pass = await cli(h.home, "passport", "export", "--namespace", "proj");
  assert.equal(pass.code, 0, pass.stderr);
  assert.match(pass.stdout, /platypus ledger/, "passports are plaintext by design");

  // Backup without the key warns; with a replaced key, reads fail with exit 3 naming the file.
  const b = await cli(h.home, "backup", "-o", join(h.home, "..", `${id}.tar.gz`));
  await Deno.remove(join(h.home, "..", `${id}.tar.gz`)).catch(() => {});
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stderr, /1 memories are encrypted and this backup has no key/);
  const key = await Deno.readFile(join(h.home, "memoryoss.key"));
  await Deno.writeFile(join(h.home, "memoryoss.key"), crypto.getRandomValues(new Uint8Array(32)));
  const bad = await cli(h.home, "list", "--namespace", "proj");
  assert.equal(bad.code, 3, bad.stderr);
  assert.match(bad.stderr, /encrypted with key [0-9a-f]{12}, which .*memoryoss\.key/);
  const write = await cli(h.home, "store", "--namespace", "proj", "new fact under a wrong key");
  assert.equal(write.code, 3, "writing with a foreign key is refused, not mixed in");
  await Deno.writeFile(join(h.home, "memoryoss.key"), key);
  assert.equal((await cli(h.home, "list", "--namespace", "proj")).code, 0);

  const no = await cli(h.home, "encryption", "decrypt-all");
  assert.equal(no.code, 3);
  const yes = await cli(h.home, "encryption", "decrypt-all", "--yes", "--json");
  assert.equal(yes.json().decrypted, 1);
  assert.deepEqual(rawContents(join(h.home, "memoryoss.db"))[0], SECRET);
  const enc = await cli(h.home, "encryption", "encrypt-existing", "--json");
  assert.equal(enc.json().encrypted, 1);
});

Deno.test('index = "off": keyword search skips encrypted memories, vectors still find them', async () => {
  await using h = await tempHome();
  await Deno.writeTextFile(
    join(h.home, "memoryoss.toml"),
    '[encryption]\nenabled = true\nindex = "off"\n',
  );
  assert.equal((await cli(h.home, "store", "--namespace", "proj", SECRET)).code, 0);
  const bm25 = await cli(
    h.home,
    "recall",
    "--namespace",
    "proj",
    "--mode",
    "bm25",
    "--json",
    "platypus",
  );
  assert.equal(bm25.code, 0, bm25.stderr);
  assert.equal(bm25.json().memories.length, 0);
  const hybrid = await cli(h.home, "recall", "--namespace", "proj", "--json", "platypus ledger");
  assert.equal(hybrid.json().memories[0]?.content, SECRET);
  const st = (await cli(h.home, "encryption", "status", "--json")).json();
  assert.equal(st.index, "off");
  assert.equal(st.fts_consistent, true);
  const doc = await cli(h.home, "doctor");
  assert.match(doc.stdout, /\[ok\] fts: .*1 encrypted not indexed/);
});

Deno.test("encryption on: graph edge details are sealed, follow a rotation, open after decrypt-all", async () => {
  await using h = await tempHome();
  const db = join(h.home, "memoryoss.db");
  const details = () => {
    const d = new DatabaseSync(db, { readOnly: true });
    try {
      return (d.prepare("SELECT detail FROM memory_edges").all() as { detail: string }[])
        .map((r) => r.detail);
    } finally {
      d.close();
    }
  };
  for (
    const text of [
      "Billing moved to Postgres because the Quokka ledger needs transactions.",
      "The Quokka ledger needs transactions for every invoice run.",
    ]
  ) assert.equal((await cli(h.home, "store", "--namespace", "proj", text)).code, 0);
  const id = (await cli(h.home, "list", "--namespace", "proj", "--json")).json().memories[0].id;
  assert.ok(details().length > 0, "the two memories are linked");
  for (const d of details()) {
    assert.match(d, /^enc1:/);
    assert.ok(!d.toLowerCase().includes("quokka"), "no entity name in plaintext");
  }
  const rot = await cli(h.home, "encryption", "rotate", "--json");
  assert.equal(rot.code, 0, rot.stderr);
  assert.equal(rot.json().retired.length, 1, "the old key is retired once edges are re-wrapped");
  const show = await cli(h.home, "graph", "show", id, "--json");
  assert.equal(show.code, 0, show.stderr);
  const entity = show.json().edges.find((e: { kind: string }) => e.kind === "entity");
  assert.deepEqual(entity.detail.entities, ["quokka"], "details still open after the rotation");
  assert.equal((await cli(h.home, "encryption", "decrypt-all", "--yes")).code, 0);
  for (const d of details()) assert.doesNotMatch(d, /^enc1:/);
});

Deno.test("encryption on: a remembered fact is sealed in the queue and survives a rotation", async () => {
  await using h = await tempHome();
  const r = await cli(h.home, "remember", "--namespace", "proj", SECRET);
  assert.equal(r.code, 0, r.stderr);
  const payloads = () => {
    const d = new DatabaseSync(join(h.home, "memoryoss.db"), { readOnly: true });
    try {
      return (d.prepare("SELECT payload FROM remember_queue").all() as { payload: string }[])
        .map((x) => x.payload);
    } finally {
      d.close();
    }
  };
  assert.equal(payloads().length, 1);
  assert.match(payloads()[0], /^enc1:/);
  assert.ok(!payloads()[0].includes("platypus"), "the queued fact is not on disk in plaintext");
  const rot = await cli(h.home, "encryption", "rotate", "--json");
  assert.equal(rot.json().retired.length, 1);
  assert.equal(rot.json().kept.length, 0);
  const d = await cli(h.home, "drain", "--once", "--json");
  assert.equal(d.code, 0, d.stderr);
  const found = await cli(h.home, "recall", "--namespace", "proj", "--json", "platypus ledger");
  assert.equal(found.json().memories[0].content, SECRET);
});
