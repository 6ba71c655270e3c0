/**
 * The commented `memoryoss.toml` written on first run. Every key appears with its default so a
 * user can see what exists without reading the docs; a test checks it parses to the defaults.
 */
export const CONFIG_TEMPLATE =
  `# memoryoss configuration. Every key is shown with its default value.
# Delete a line to go back to the default. Docs: README.md, "Configuration".

[server]
# Address the HTTP API listens on. Keep it on loopback unless you put a proxy in front.
host = "127.0.0.1"
port = 8000
# Largest accepted request body, in bytes.
max_body_bytes = 2097152

[tls]
# HTTPS for "memoryoss serve". Off by default: the server listens on loopback over plain HTTP
# (memoryOSS defaults to on). With cert_path and key_path (PEM; relative to the home folder)
# those files are served; both are set or neither. Without them and with auto_generate, a
# self-signed certificate for server.host is made once and kept in the home (tls-cert.pem,
# tls-key.pem); serve prints its SHA-256 fingerprint so clients can pin it.
enabled = false
auto_generate = true
cert_path = ""
key_path = ""

[auth]
# HS256 secret for /v1/auth/token tokens (32+ characters); empty: derived from memoryoss.key.
# MEMORYOSS_JWT_SECRET wins when set.
jwt_secret = ""
jwt_expiry_secs = 3600
# Shared secret for memoryOSS-compatible HMAC signing (bundle export --sign hmac, trust
# checks of HMAC-signed bundles); 32+ characters. MEMORYOSS_AUDIT_HMAC_SECRET wins when set.
audit_hmac_secret = ""
# Static API keys, besides those made with "memoryoss keys create" (kept in the database).
# Each authenticates like a created key and is never printed; namespace = "*" binds every
# namespace. role: reader | writer | admin. E.g.
# api_keys = [{ key = "ek_at-least-8-characters", role = "admin", namespace = "default" }]
api_keys = []

[storage]
# "sqlite" (the default: one file in the home) or "postgres". So far Postgres serves only
# "memoryoss migrate" (copying a home in and out, docs/scaling.md); the other commands
# refuse to run with backend = "postgres" until serving from Postgres lands (issue 22).
backend = "sqlite"
# SQLite database file; a relative path is resolved against the memoryoss home folder.
path = "memoryoss.db"
# How long a writer waits for another process's write lock before giving up (ms).
busy_timeout_ms = 10000
# For backend = "postgres": postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=NAME]
# (schema default "memoryoss"). Empty: the MEMORYOSS_DATABASE_URL environment variable.
# A secret when it holds a password: shown as *** by "config show".
url = ""

[embeddings]
# "builtin" works offline with no downloads. "openai" calls any OpenAI-compatible
# /v1/embeddings endpoint (OpenAI, Ollama, llama.cpp, LM Studio, vLLM); "voyage" Voyage AI;
# "ollama" Ollama's native /api/embed. Run "memoryoss embed reembed" after a change.
provider = "builtin"
# For the others: model name, base URL (e.g. "http://127.0.0.1:11434/v1"; empty: the
# provider's own) and key. The key may instead come from the MEMORYOSS_EMBEDDINGS_API_KEY
# environment variable (required for "voyage").
model = ""
base_url = ""
api_key = ""
# Expected vector size; 0 takes whatever the endpoint returns.
dim = 0
timeout_ms = 30000
batch_size = 64

[limits]
# Largest memory content, in bytes of UTF-8.
max_content_bytes = 65536
max_tags = 50
max_tag_length = 256
max_namespace_length = 128
# Requests per second per API key for "memoryoss serve" (0 = off).
# MEMORYOSS_RATE_LIMIT_PER_SEC wins when set.
rate_limit_per_sec = 100

[recall]
# Results returned when a caller gives no limit (1..100).
default_limit = 10
# Drop results whose best channel score is below this (0 keeps everything).
min_channel_score = 0.0
# 0 = pure relevance order; higher values spread results across agents and tags.
diversity_factor = 0.0
# A new memory this similar (cosine) to an existing one in the namespace is merged into it.
semantic_dedup_threshold = 0.95
# Follow the memory graph (causal, temporal, entity, semantic links) from the hybrid results,
# guided by the query's intent (why / when / who-what); docs/graph.md.
graph = true

[recall.weights]
# Weight of each channel in the fused score (each 0..1).
vector = 0.3
fts = 0.3
exact = 0.25
recency = 0.15

[graph]
# Link each new memory into the memory graph (temporal, entity and causal edges) in the same
# transaction that stores it. false: store/import skip it (bulk imports run faster) and the
# new memories stay unlinked until "memoryoss graph rebuild"; docs/graph.md.
link_on_write = true

[logging]
# error | warn | info | debug
level = "info"
# One JSON object per line ({"ts","level","msg"}) instead of text.
json = false

[encryption]
# Encrypt memory content and metadata at rest (AES-256-GCM, per-namespace keys derived from
# memoryoss.key). Tags, namespaces, dates, vectors and the search index stay readable; see
# docs/encryption.md. Rows written while this is off stay plain until
# "memoryoss encryption encrypt-existing". Keep memoryoss.key (and memoryoss.keyring): without
# them encrypted memories cannot be read, and backups leave them out unless --include-key.
enabled = true
# "on": keyword (bm25) and identifier search cover encrypted memories, so their words are on
# disk in the search index. "off": nothing of them is indexed; recall finds them by vector only.
index = "on"
# Where the key lives: "local" (memoryoss.key) or "vault" (memoryOSS's provider: the key is
# wrapped by HashiCorp Vault's Transit engine into memoryoss.key.vault and unwrapped at start).
provider = "local"
# For "vault" (empty: $VAULT_ADDR / $VAULT_TOKEN). The token is a secret: never printed.
vault_address = ""
vault_token = ""
vault_mount = "transit"
vault_key_name = "memoryoss"

[lifecycle]
# decay: importance = base (metadata.importance 1-5, else 3) x access boost x 0.5^(idle/half-life).
# An idle active memory below min_importance turns stale; gc archives (never deletes) later.
half_life_days = 30
# Decisions and preferences fade slower.
decision_half_life_days = 90
preference_half_life_days = 90
min_importance = 0.1
# Immune: used (reused, confirmed, merged, injected) this often, or importance >= 4.
immune_access_count = 3
# Memories tagged with this (or metadata.pinned = true) never decay and are never archived.
pin_tag = "pinned"

[llm]
# A chat model that decides drain reconciliation (ADD / UPDATE / DELETE / NONE), extracts facts
# from proxied exchanges and expands "recall --expand" queries. Off: the deterministic local
# path decides; it is also the fallback on any provider error. memman's MEMMAN_LLM_PROVIDER,
# MEMMAN_LLM_ENDPOINT, MEMMAN_LLM_API_KEY and MEMMAN_LLM_MODEL_* override these keys.
enabled = false
# "openai" (any OpenAI-compatible /chat/completions), "openrouter" or "anthropic" (Messages API).
provider = "openai"
# Empty: proxy.upstream_url (openai), https://openrouter.ai/api/v1, https://api.anthropic.com/v1.
base_url = ""
# Empty: gpt-4o-mini, anthropic/claude-haiku-4.5 or claude-haiku-4-5-20251001.
model = ""
# Environment variable that holds the API key (empty or unset: proxy.upstream_api_key).
api_key_env = "MEMORYOSS_LLM_API_KEY"
timeout_ms = 15000
# Ask for server-sent events instead of one JSON answer.
stream = false

[sharing]
# Shared namespaces: read-only grants to other namespaces and webhooks on new memories
# (/v1/admin/sharing/*; docs/http-api.md). false: those routes answer 404.
enabled = true
# Let webhooks call loopback and private addresses (only for local testing).
allow_private_webhooks = false
# Grants per shared namespace, and shared namespaces per owner (its key's namespaces).
max_grants = 100
max_shared_namespaces = 10

[proxy]
# The LLM proxy gateway (docs/proxy.md): recall before, extract after each call. Clients use
# the server's own /v1 (chat/completions, responses, models, Anthropic messages) or /proxy/v1.
enabled = false
# OpenAI-compatible base URL (chat/completions, responses, models are appended).
upstream_url = "https://api.openai.com/v1"
upstream_api_key = ""
# Full URL of the Anthropic Messages endpoint.
anthropic_upstream_url = "https://api.anthropic.com/v1/messages"
anthropic_api_key = ""
# Forward unmapped client credentials upstream; by default only for loopback clients.
passthrough_auth = false
passthrough_local_only = true
# Client key -> namespace (and optional upstream key), e.g.
# key_mapping = [{ proxy_key = "pk-team-a-0001", upstream_key = "", namespace = "team-a" }]
key_mapping = []
# full | readonly | after | off; clients may pick per request (X-Memory-Mode) if allowed.
default_memory_mode = "full"
# For mode "after": ignore memories created before this date (YYYY-MM-DD or RFC3339).
memory_after_date = ""
allow_client_memory_control = true
# Share of the model's context window that injected memory may use.
max_memory_pct = 0.1
# Only memories scoring at least this are injected; the gate abstains on weak evidence.
min_recall_score = 0.4
# Recall for injection drops candidates whose best channel scores below this, and spreads
# the picks (0 = plain ranking); the proxy recalls [recall] default_limit memories.
min_channel_score = 0.15
diversity_factor = 0.3
confidence_gate = true
# Block (403) or hold for confirmation (428) risky commands that a stored policy speaks to.
policy_firewall = true
# Recall slower than this is skipped and the request goes upstream unchanged (fail open).
recall_timeout_ms = 250
upstream_timeout_ms = 300000
max_body_bytes = 10485760
# Store facts from finished exchanges as candidates (local heuristic, no network).
extraction_enabled = true
extraction_queue_size = 64
# Context window per model name, overriding the built-in table, e.g. { "my-model" = 32768 }.
model_context_sizes = {}
`;
