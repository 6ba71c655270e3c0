import { z } from "zod";

/** A shared secret: empty (unset) or at least 32 characters, as memoryOSS requires. */
const sharedSecret = z.string().refine((s) => s === "" || s.length >= 32, {
  message: "must be at least 32 characters (or empty)",
}).default("");

/** Every config key with its default. The template in `template.ts` documents each one. */
export const ConfigSchema = z.strictObject({
  server: z.strictObject({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(0).max(65535).default(8000),
    max_body_bytes: z.number().int().positive().default(2 * 1024 * 1024),
  }).prefault({}),
  tls: z.strictObject({
    /** HTTPS for `serve` (memoryOSS defaults to true; memoryoss serves plain HTTP on loopback). */
    enabled: z.boolean().default(false),
    /** No cert_path/key_path: a self-signed pair kept in the home (tls-cert.pem, tls-key.pem). */
    auto_generate: z.boolean().default(true),
    /**
     * PEM files; relative paths are resolved against the home. Set both or neither (checked
     * when enabled, so `config set` can add them one at a time).
     */
    cert_path: z.string().default(""),
    key_path: z.string().default(""),
  }).prefault({}).refine((t) => !t.enabled || (t.cert_path === "") === (t.key_path === ""), {
    message: "tls.cert_path and tls.key_path must be set together",
    path: ["cert_path"],
  }),
  auth: z.strictObject({
    /**
     * Static API keys (memoryOSS `[[auth.api_keys]]`): they authenticate like keys made with
     * `memoryoss keys create`, live only here and are never printed. `namespace = "*"` binds
     * every namespace.
     */
    api_keys: z.array(z.strictObject({
      key: z.string().min(8, "must be at least 8 characters"),
      role: z.enum(["reader", "writer", "admin"]),
      namespace: z.string().min(1).default("default"),
    })).default([]),
    /** HS256 secret for `/v1/auth/token` tokens; empty: derived from memoryoss.key. */
    jwt_secret: sharedSecret,
    jwt_expiry_secs: z.number().int().positive().default(3600),
    /** memoryOSS-compatible HMAC signing of bundles; MEMORYOSS_AUDIT_HMAC_SECRET wins. */
    audit_hmac_secret: sharedSecret,
  }).prefault({}),
  storage: z.strictObject({
    /**
     * "sqlite" (the home's file, the default) or "postgres" (issue 22: so far only `migrate`
     * uses it; every command that opens the store refuses, docs/scaling.md).
     */
    backend: z.enum(["sqlite", "postgres"], {
      error: 'expected "sqlite" or "postgres"',
    }).default("sqlite"),
    /** Database file; relative paths are resolved against the home folder. */
    path: z.string().min(1).default("memoryoss.db"),
    busy_timeout_ms: z.number().int().min(0).default(10000),
    /**
     * postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=NAME] for backend = "postgres"; empty:
     * $MEMORYOSS_DATABASE_URL. A secret (it may hold a password): never printed.
     */
    url: z.string().refine((u) => u === "" || /^postgres(ql)?:\/\/[^\s]+$/.test(u), {
      message: "must be a postgres:// URL (or empty)",
    }).default(""),
  }).prefault({}),
  embeddings: z.strictObject({
    provider: z.enum(["builtin", "openai", "voyage", "ollama"]).default("builtin"),
    model: z.string().default(""),
    base_url: z.string().default(""),
    api_key: z.string().default(""),
    dim: z.number().int().min(0).default(0),
    timeout_ms: z.number().int().positive().default(30000),
    batch_size: z.number().int().positive().max(2048).default(64),
  }).prefault({}),
  limits: z.strictObject({
    max_content_bytes: z.number().int().positive().default(65536),
    max_tags: z.number().int().min(0).default(50),
    max_tag_length: z.number().int().positive().default(256),
    max_namespace_length: z.number().int().positive().default(128),
    /** Requests per second per key for `serve` (0 = off); MEMORYOSS_RATE_LIMIT_PER_SEC wins. */
    rate_limit_per_sec: z.number().min(0).default(100),
  }).prefault({}),
  recall: z.strictObject({
    default_limit: z.number().int().min(1).max(100).default(10),
    min_channel_score: z.number().min(0).max(1).default(0),
    diversity_factor: z.number().min(0).max(1).default(0),
    semantic_dedup_threshold: z.number().min(0).max(1).default(0.95),
    graph: z.boolean().default(true),
    weights: z.strictObject({
      vector: z.number().min(0).max(1).default(0.3),
      fts: z.number().min(0).max(1).default(0.3),
      exact: z.number().min(0).max(1).default(0.25),
      recency: z.number().min(0).max(1).default(0.15),
    }).prefault({}),
  }).prefault({}),
  graph: z.strictObject({
    /**
     * Build temporal, entity and causal edges in the write transaction of store / import /
     * drain; off: writes skip them until `memoryoss graph rebuild`.
     */
    link_on_write: z.boolean().default(true),
  }).prefault({}),
  logging: z.strictObject({
    level: z.enum(["error", "warn", "info", "debug"]).default("info"),
    /** One JSON object per log line on stderr instead of text. */
    json: z.boolean().default(false),
  }).prefault({}),
  encryption: z.strictObject({
    /** Seal memory content and metadata with AES-256-GCM (docs/encryption.md). */
    enabled: z.boolean().default(true),
    /** "on": bm25 search covers encrypted memories (plaintext tokens on disk); "off": it does not. */
    index: z.enum(["on", "off"]).default("on"),
    /**
     * memoryOSS's key providers: "local" (memoryoss.key) or "vault" (the key wrapped by Vault
     * Transit in memoryoss.key.vault; docs/encryption.md). aws_kms fails closed, as in memoryOSS.
     */
    provider: z.enum(["local", "vault"], {
      error: 'expected "local" or "vault" (aws_kms is not supported)',
    }).default("local"),
    /** Vault's address (http(s)://host:8200); empty: $VAULT_ADDR. */
    vault_address: z.string().default(""),
    /** Vault token (a secret; empty: $VAULT_TOKEN). */
    vault_token: z.string().default(""),
    vault_mount: z.string().min(1).default("transit"),
    vault_key_name: z.string().min(1).default("memoryoss"),
  }).prefault({}),
  lifecycle: z.strictObject({
    half_life_days: z.number().positive().default(30),
    decision_half_life_days: z.number().positive().default(90),
    preference_half_life_days: z.number().positive().default(90),
    min_importance: z.number().min(0).max(1).default(0.1),
    immune_access_count: z.number().int().min(1).default(3),
    pin_tag: z.string().min(1).default("pinned"),
  }).prefault({}),
  llm: z.strictObject({
    enabled: z.boolean().default(false),
    /** Wire format: OpenAI-compatible chat completions, OpenRouter, or Anthropic Messages. */
    provider: z.enum(["openai", "openrouter", "anthropic"]).default("openai"),
    base_url: z.string().default(""),
    model: z.string().default(""),
    api_key_env: z.string().default("MEMORYOSS_LLM_API_KEY"),
    timeout_ms: z.number().int().positive().default(15000),
    /** Ask for server-sent events (same answer; some gateways only stream). */
    stream: z.boolean().default(false),
  }).prefault({}),
  sharing: z.strictObject({
    /** The shared-namespace routes (/v1/admin/sharing/*, /v1/sharing/accessible); false: 404. */
    enabled: z.boolean().default(true),
    /** Let webhooks target loopback and private addresses (local testing only). */
    allow_private_webhooks: z.boolean().default(false),
    /** Grants per shared namespace (memoryOSS's default 100). */
    max_grants: z.number().int().min(0).default(100),
    /** Shared namespaces per owner: among the namespaces of the creating key (default 10). */
    max_shared_namespaces: z.number().int().min(0).default(10),
  }).prefault({}),
  proxy: z.strictObject({
    enabled: z.boolean().default(false),
    upstream_url: z.string().url().default("https://api.openai.com/v1"),
    upstream_api_key: z.string().default(""),
    anthropic_upstream_url: z.string().url().default("https://api.anthropic.com/v1/messages"),
    anthropic_api_key: z.string().default(""),
    passthrough_auth: z.boolean().default(false),
    passthrough_local_only: z.boolean().default(true),
    key_mapping: z.array(z.strictObject({
      proxy_key: z.string().min(8),
      upstream_key: z.string().default(""),
      namespace: z.string().min(1).default("default"),
    })).default([]),
    default_memory_mode: z.enum(["full", "readonly", "after", "off"]).default("full"),
    memory_after_date: z.string().default(""),
    allow_client_memory_control: z.boolean().default(true),
    max_memory_pct: z.number().min(0).max(1).default(0.1),
    min_recall_score: z.number().min(0).max(1).default(0.4),
    /** The proxy's recall precision floor and diversity (memoryOSS: 0.15 and 0.3). */
    min_channel_score: z.number().min(0).max(1).default(0.15),
    diversity_factor: z.number().min(0).max(1).default(0.3),
    confidence_gate: z.boolean().default(true),
    policy_firewall: z.boolean().default(true),
    recall_timeout_ms: z.number().int().positive().default(250),
    upstream_timeout_ms: z.number().int().positive().default(300000),
    max_body_bytes: z.number().int().positive().default(10 * 1024 * 1024),
    extraction_enabled: z.boolean().default(true),
    extraction_queue_size: z.number().int().positive().default(64),
    model_context_sizes: z.record(z.string(), z.number().int().positive()).default({}),
  }).prefault({}),
});

/** The validated configuration. */
export type Config = z.infer<typeof ConfigSchema>;
