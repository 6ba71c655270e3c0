/**
 * Deterministic synthetic memories for throughput and latency benchmarks: developer-memory
 * sentences with identifiers, varied enough that bm25 posting lists look realistic.
 */

const SUBJECTS = [
  "the billing service",
  "our deploy pipeline",
  "the staging cluster",
  "the auth gateway",
  "the nightly export job",
  "the search indexer",
  "the mobile app",
  "the data warehouse",
  "the payments team",
  "the on-call rotation",
  "the CI runner",
  "the feature flag system",
  "the recommendation model",
  "the email worker",
  "the admin dashboard",
  "the GraphQL layer",
];
const VERBS = [
  "now depends on",
  "was migrated to",
  "must not call",
  "caches results from",
  "is blocked by",
  "retries requests to",
  "reads its config from",
  "was rolled back because of",
  "replaced",
  "shares a database with",
  "is owned by the same team as",
  "logs every error to",
];
const OBJECTS = [
  "Postgres 16",
  "Redis",
  "the S3 archive bucket",
  "Kafka topic orders.v2",
  "a Rust sidecar",
  "the legacy SOAP API",
  "SQLite in WAL mode",
  "the vendor webhook",
  "ClickHouse",
  "the CDN edge",
  "a cron job on box-7",
  "the ML feature store",
  "OpenSearch",
  "the rate limiter",
  "gRPC streams",
];
const REASONS = [
  "after the March outage",
  "to cut latency in half",
  "because the vendor raised prices",
  "per the security review",
  "since the last incident postmortem",
  "to unblock the Q3 launch",
  "after Dana's benchmark",
  "as agreed in the architecture sync",
  "to reduce cloud costs",
];
const EXTRAS = [
  "Ticket ENG-{n}.",
  "See lib/{w}/mod.ts.",
  "Env var {W}_TIMEOUT_MS controls it.",
  "Commit {h} has the change.",
  "Endpoint /v1/{w}/{n} exposes it.",
  "Branch feat/{w}-{n}.",
  "Owner: {p}.",
  "Runbook at docs/runbooks/{w}.md.",
  "",
];
const WORDS = [
  "alpha",
  "orbit",
  "quartz",
  "delta",
  "ember",
  "falcon",
  "granite",
  "harbor",
  "ion",
  "jade",
];
const PEOPLE = ["Priya", "Marco", "Dana", "Lee", "Sofia", "Omar", "Kenji", "Ada"];

/** A seeded PRNG (LCG) so runs are comparable. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** `n` synthetic memories as JSONL lines, spread over the past year. */
export function syntheticMemories(n: number, seed = 42): string[] {
  const r = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const start = Date.parse("2025-11-01T00:00:00Z");
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const w = pick(WORDS);
    const extra = pick(EXTRAS).replace("{n}", String(100 + Math.floor(r() * 9000)))
      .replace("{w}", w).replace("{W}", w.toUpperCase())
      .replace("{h}", Math.floor(r() * 0xfffffff).toString(16).padStart(7, "0"))
      .replace("{p}", pick(PEOPLE));
    const content = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${
      pick(REASONS)
    } (#${i}). ${extra}`
      .replace(/^./, (c) => c.toUpperCase()).trim();
    out.push(JSON.stringify({
      content,
      tags: [w, pick(["infra", "policy", "incident", "decision"])],
      created_at: new Date(start + Math.floor(r() * 365 * 86_400_000)).toISOString(),
      agent: pick(["claude", "codex", "cursor"]),
      session: `s${Math.floor(i / 50)}`,
    }));
  }
  return out;
}

/** Queries for latency runs: paraphrases, identifiers and keywords. */
export function syntheticQueries(n: number, seed = 7): string[] {
  const r = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const forms = [
    () => `what does ${pick(SUBJECTS)} depend on?`,
    () => `why was ${pick(OBJECTS)} chosen?`,
    () => `ENG-${100 + Math.floor(r() * 9000)}`,
    () => `${pick(WORDS).toUpperCase()}_TIMEOUT_MS`,
    () => `who owns ${pick(SUBJECTS)}`,
    () => `rollback ${pick(REASONS)}`,
    () => `lib/${pick(WORDS)}/mod.ts`,
  ];
  return Array.from({ length: n }, () => pick(forms)());
}
