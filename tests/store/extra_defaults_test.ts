/**
 * The `extra` column holds only the keys whose value differs from what every reader assumes
 * when a key is absent (issue 21): old rows (every key written) and new rows (lean) read the
 * same through the store, the dashboard's SQL and `memoryoss export`, plain and sealed.
 * Oracles: the expected record and export text below are written by hand.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { FieldCipher, Keyring } from "../../lib/crypto/mod.ts";
import {
  newRecord,
  recentlyInjectedIds,
  Store,
  type StoreEncryption,
} from "../../lib/store/mod.ts";
import { cli, show } from "../cli/_helpers.ts";

const PLAIN_ID = "0190a000-0000-7000-8000-000000000001";
const BUSY_ID = "0190a000-0000-7000-8000-000000000002";
const HASH_A = "a".repeat(64);
const HASH_B = "b".repeat(64);
const REVIEW = '{"at":"2026-02-03T04:05:06.000Z","actor":"ana","action":"confirm","via":"cli"}';

/** A memory with every `extra` field at its default, as old rows stored it and new ones do. */
const PLAIN_FULL = '{"derived_from":[],"contradicts_with":[],"injection_count":0,' +
  '"reuse_count":0,"confirm_count":0,"reject_count":0,"supersede_count":0,' +
  '"last_injected_at":null,"last_reused_at":null,"last_outcome_at":null,"review_events":[]}';
const PLAIN_LEAN = "{}";
/** A memory with some `extra` fields set. */
const BUSY_FULL = `{"derived_from":["${PLAIN_ID}"],"contradicts_with":[],"injection_count":3,` +
  '"reuse_count":0,"confirm_count":1,"reject_count":0,"supersede_count":0,' +
  '"last_injected_at":"2026-02-03T04:05:07.000Z","last_reused_at":null,"last_outcome_at":null,' +
  `"review_events":[${REVIEW}]}`;
const BUSY_LEAN = `{"derived_from":["${PLAIN_ID}"],"injection_count":3,"confirm_count":1,` +
  `"last_injected_at":"2026-02-03T04:05:07.000Z","review_events":[${REVIEW}]}`;

/** What `memoryoss export --namespace proj` prints for the two rows (exported_at aside). */
const EXPECTED_EXPORT = `{
  "format": "memoryoss.export.v1",
  "namespace": "proj",
  "exported_at": "EXPORTED_AT",
  "count": 2,
  "memories": [
    {
      "id": "${PLAIN_ID}",
      "content": "The staging cluster drains at 02:00 UTC.",
      "tags": [
        "ops"
      ],
      "agent": null,
      "session": null,
      "namespace": "proj",
      "memory_type": "semantic",
      "status": "active",
      "version": 1,
      "created_at": "2026-01-01T00:00:00.000Z",
      "updated_at": "2026-01-01T00:00:00.000Z",
      "source_key": null,
      "content_hash": "${HASH_A}",
      "archived": false,
      "confidence": null,
      "evidence_count": 1,
      "last_verified_at": null,
      "superseded_by": null,
      "derived_from": [],
      "contradicts_with": [],
      "injection_count": 0,
      "reuse_count": 0,
      "confirm_count": 0,
      "reject_count": 0,
      "supersede_count": 0,
      "last_injected_at": null,
      "last_reused_at": null,
      "last_outcome_at": null,
      "review_events": [],
      "category": null,
      "metadata": {}
    },
    {
      "id": "${BUSY_ID}",
      "content": "Deploys need two approvals.",
      "tags": [],
      "agent": "claude",
      "session": "s-9",
      "namespace": "proj",
      "memory_type": "procedural",
      "status": "contested",
      "version": 2,
      "created_at": "2026-01-02T00:00:00.000Z",
      "updated_at": "2026-01-03T00:00:00.000Z",
      "source_key": null,
      "content_hash": "${HASH_B}",
      "archived": false,
      "confidence": 0.75,
      "evidence_count": 2,
      "last_verified_at": null,
      "superseded_by": null,
      "derived_from": [
        "${PLAIN_ID}"
      ],
      "contradicts_with": [],
      "injection_count": 3,
      "reuse_count": 0,
      "confirm_count": 1,
      "reject_count": 0,
      "supersede_count": 0,
      "last_injected_at": "2026-02-03T04:05:07.000Z",
      "last_reused_at": null,
      "last_outcome_at": null,
      "review_events": [
        {
          "at": "2026-02-03T04:05:06.000Z",
          "actor": "ana",
          "action": "confirm",
          "via": "cli"
        }
      ],
      "category": "decision",
      "metadata": {
        "source": "hand"
      }
    }
  ]
}
`;

type Seal = (id: string, field: "content" | "metadata", text: string) => string;

/** The two memories as rows written by hand, with `extra` as given; sealed when `seal` is set. */
function writeRows(dbPath: string, extras: [string, string], seal?: Seal): void {
  const s = seal ?? ((_id: string, _f: string, text: string) => text);
  const db = new DatabaseSync(dbPath);
  try {
    const insert = db.prepare(
      `INSERT INTO memories (id, namespace, content, tags, tags_text, agent, session,
        memory_type, status, archived, version, created_at, updated_at, source_key,
        content_hash, confidence, evidence_count, last_verified_at, superseded_by, category,
        metadata, extra, rev)
       VALUES (?, 'proj', ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, NULL, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)`,
    );
    insert.run(
      PLAIN_ID,
      s(PLAIN_ID, "content", "The staging cluster drains at 02:00 UTC."),
      '["ops"]',
      "ops ops",
      null,
      null,
      "semantic",
      "active",
      1,
      "2026-01-01T00:00:00.000Z",
      "2026-01-01T00:00:00.000Z",
      HASH_A,
      null,
      1,
      null,
      s(PLAIN_ID, "metadata", "{}"),
      extras[0],
      1,
    );
    insert.run(
      BUSY_ID,
      s(BUSY_ID, "content", "Deploys need two approvals."),
      "[]",
      "",
      "claude",
      "s-9",
      "procedural",
      "contested",
      2,
      "2026-01-02T00:00:00.000Z",
      "2026-01-03T00:00:00.000Z",
      HASH_B,
      0.75,
      2,
      "decision",
      s(BUSY_ID, "metadata", '{"source":"hand"}'),
      extras[1],
      2,
    );
    db.exec("UPDATE meta SET value = '2' WHERE key = 'rev'");
  } finally {
    db.close();
  }
}

function sealerFor(keyPath: string): Seal {
  const c = new FieldCipher(Keyring.load(keyPath));
  return (id, field, text) => c.seal({ namespace: "proj", id, field }, text);
}

function rawExtra(dbPath: string): Record<string, string> {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const rows = db.prepare("SELECT id, extra FROM memories ORDER BY pk").all() as {
      id: string;
      extra: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.id, r.extra]));
  } finally {
    db.close();
  }
}

async function tempDir(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "memoryoss-extra-" });
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

/** A home made by the CLI itself (schema migrated, key created when `sealed`). */
async function newHome(dir: string, sealed: boolean): Promise<string> {
  if (!sealed) await Deno.writeTextFile(join(dir, "memoryoss.toml"), PLAIN_CONFIG);
  const r = await cli(dir, "status");
  assert.equal(r.code, 0, show(r));
  return join(dir, "memoryoss.db");
}

const PLAIN_CONFIG = "[encryption]\nenabled = false\n";

function encryption(keyPath: string): StoreEncryption {
  return { cipher: new FieldCipher(Keyring.load(keyPath)), enabled: true, index: "on" };
}

for (const sealed of [false, true]) {
  const kind = sealed ? "sealed" : "plain";

  Deno.test(`extra (${kind}): full and lean rows read back the same record, by hand`, async () => {
    await using full = await tempDir();
    await using lean = await tempDir();
    const records = [];
    for (const [t, extras] of [[full, [PLAIN_FULL, BUSY_FULL]], [lean, [PLAIN_LEAN, BUSY_LEAN]]]) {
      const h = t as { dir: string };
      const db = await newHome(h.dir, sealed);
      const keyPath = join(h.dir, "memoryoss.key");
      writeRows(db, extras as [string, string], sealed ? sealerFor(keyPath) : undefined);
      const s = Store.open(db, sealed ? { encryption: encryption(keyPath) } : {});
      try {
        records.push([s.getById(PLAIN_ID)!.record, s.getById(BUSY_ID)!.record]);
        // The dashboard's reader: a missing last_injected_at is NULL, like a JSON null.
        assert.deepEqual(recentlyInjectedIds(s, ["proj"], 10), [BUSY_ID]);
      } finally {
        s.close();
      }
    }
    const expected = JSON.parse(EXPECTED_EXPORT.replace("EXPORTED_AT", "x")).memories;
    for (const [plain, busy] of records) {
      // JSON text, so field order counts as well as values.
      assert.equal(JSON.stringify(plain), JSON.stringify(expected[0]));
      assert.equal(JSON.stringify(busy), JSON.stringify(expected[1]));
    }
  });

  Deno.test(`extra (${kind}): memoryoss export prints the same text for full and lean rows`, async () => {
    for (const extras of [[PLAIN_FULL, BUSY_FULL], [PLAIN_LEAN, BUSY_LEAN]] as const) {
      await using h = await tempDir();
      const db = await newHome(h.dir, sealed);
      writeRows(db, [...extras], sealed ? sealerFor(join(h.dir, "memoryoss.key")) : undefined);
      const out = await cli(h.dir, "export", "--namespace", "proj");
      assert.equal(out.code, 0, show(out));
      const at = /"exported_at": "(\d{4}-\d\d-\d\dT[^"]+Z)"/.exec(out.stdout);
      assert.ok(at, out.stdout);
      assert.equal(out.stdout.replace(at[1], "EXPORTED_AT"), EXPECTED_EXPORT);
      // Reading did not rewrite the rows.
      assert.deepEqual(rawExtra(db), { [PLAIN_ID]: extras[0], [BUSY_ID]: extras[1] });
    }
  });

  Deno.test(`extra (${kind}): new writes store only the keys that differ from the default`, async () => {
    await using h = await tempDir();
    const db = await newHome(h.dir, sealed);
    const keyPath = join(h.dir, "memoryoss.key");
    const s = Store.open(db, sealed ? { encryption: encryption(keyPath) } : {});
    try {
      const fresh = newRecord({
        id: PLAIN_ID,
        content: "A fresh memory.",
        namespace: "proj",
        created_at: "2026-01-01T00:00:00.000Z",
      });
      const pk = s.insert(fresh);
      assert.deepEqual(rawExtra(db), { [PLAIN_ID]: "{}" });
      const busy = {
        ...fresh,
        derived_from: [PLAIN_ID],
        injection_count: 3,
        confirm_count: 1,
        last_injected_at: "2026-02-03T04:05:07.000Z",
        review_events: [JSON.parse(REVIEW)],
        version: 2,
      };
      s.update(pk, busy);
      assert.deepEqual(rawExtra(db), { [PLAIN_ID]: BUSY_LEAN });
      assert.deepEqual(s.getById(PLAIN_ID)!.record, busy);
      // Back to every default: back to `{}`.
      s.update(pk, fresh);
      assert.deepEqual(rawExtra(db), { [PLAIN_ID]: "{}" });
      assert.deepEqual(s.getById(PLAIN_ID)!.record, fresh);
    } finally {
      s.close();
    }
    // Through the CLI as a user writes: the row holds `{}`, and its content is sealed or not.
    const r = await cli(h.dir, "store", "--namespace", "cli", "The VPN config is in wg0.conf.");
    assert.equal(r.code, 0, show(r));
    const raw = new DatabaseSync(db, { readOnly: true });
    try {
      const row = raw.prepare("SELECT content, extra FROM memories WHERE namespace = 'cli'")
        .get() as { content: string; extra: string };
      assert.equal(row.extra, "{}");
      assert.equal(row.content.startsWith("enc1:"), sealed, row.content);
    } finally {
      raw.close();
    }
  });
}
