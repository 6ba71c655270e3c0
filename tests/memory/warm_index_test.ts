/**
 * `Runtime.warmIndex` (serve's warm start): the vector index loads in pages while other
 * connections keep writing, and ends with exactly the live vectors.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../lib/config/mod.ts";
import { openRuntime, type Runtime, storeMemories } from "../../lib/memory/mod.ts";
import { tempRuntime } from "../_support/runtime.ts";

/** Distinct facts (no two merge as duplicates). */
const FACTS = [
  "The billing service retries Stripe webhooks five times",
  "Our staging cluster runs in eu-west-1",
  "Dana owns the nightly export job",
  "The auth gateway caches JWKS for ten minutes",
  "Search reindexing happens every Sunday at 03:00",
  "The mobile app pins TLS certificates",
  "Grafana alerts page the on-call phone",
  "Postgres 16 replaced MySQL in March",
  "The CI runner image is rebuilt weekly",
  "Feature flags live in LaunchDarkly",
  "Kafka topic orders.v2 keeps seven days",
  "The CDN purges on every deploy",
  "Redis holds session tokens only",
  "The data warehouse loads at midnight UTC",
  "Email sending goes through Postmark",
  "ClickHouse stores raw click events",
  "Backups are encrypted with age",
  "The admin dashboard requires SSO",
  "Rust sidecar handles image resizing",
  "OpenSearch replaced Elasticsearch last year",
  "Terraform state is kept in S3 with locking",
  "The rate limiter allows 100 requests per second",
  "Sentry samples ten percent of transactions",
  "Dependabot opens pull requests on Mondays",
  "The GraphQL layer batches resolvers with DataLoader",
];

/** A second runtime on the same home, as a freshly started `serve` opens it: index empty. */
async function freshRuntime(home: string): Promise<Runtime> {
  const loaded = await loadConfig({ env: (k) => (k === "MEMORYOSS_HOME" ? home : undefined) });
  return await openRuntime(loaded);
}

async function seed(rt: Runtime, facts: string[]): Promise<number> {
  const res = await storeMemories(rt, facts.map((content) => ({ content, namespace: "w" })));
  return res.filter((r) => r.outcome === "created").length;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("warmIndex: paged load with deletes and inserts between pages ends with the live vectors", async () => {
  await using t = await tempRuntime();
  const created = await seed(t.rt, FACTS.slice(0, 20));
  assert.equal(created, 20);
  const pks = t.rt.store.pks({ namespace: "w" }).sort((a, b) => a - b);
  const rt = await freshRuntime(t.home);
  try {
    assert.equal(rt.index.size(), 0, "nothing loaded before the warm-up");
    const warming = rt.warmIndex({ pageSize: 4 });
    await tick(); // the first page (pks[0..3]) is in
    // Another connection writes meanwhile: one row already paged, one not yet, two new rows.
    t.rt.store.deleteByPks([pks[0], pks[15]]);
    const added = await seed(t.rt, FACTS.slice(20, 22));
    assert.equal(added, 2);
    const n = await warming;
    assert.equal(n, 20 - 2 + 2);
    assert.equal(rt.index.size("w"), 20);
    assert.equal(rt.index.get(pks[0]), null, "deleted after it was paged in");
    assert.equal(rt.index.get(pks[15]), null, "deleted before its page");
    assert.ok(rt.index.get(pks[1]) && rt.index.get(pks[19]));
  } finally {
    rt.close();
  }
});

Deno.test("warmIndex: a query's syncIndex mid-way finishes the job; an abort leaves it to the next sync", async () => {
  await using t = await tempRuntime();
  await seed(t.rt, FACTS.slice(0, 12));
  const a = await freshRuntime(t.home);
  const b = await freshRuntime(t.home);
  try {
    const warming = a.warmIndex({ pageSize: 3 });
    await tick();
    a.syncIndex(); // what a recall arriving during the warm-up does
    assert.equal(a.index.size(), 12);
    assert.equal(await warming, 12);

    const stop = new AbortController();
    const partial = b.warmIndex({ pageSize: 3, signal: stop.signal });
    await tick();
    stop.abort();
    const loaded = await partial;
    assert.ok(loaded > 0 && loaded < 12, `stopped between pages (${loaded} loaded)`);
    b.syncIndex();
    assert.equal(b.index.size(), 12);
  } finally {
    a.close();
    b.close();
  }
});
