/** The memoryOSS config fixture and what the tests expect of it, written by hand. */

export const FIXTURE = new URL("../fixtures/memoryoss-compat/memoryoss.toml", import.meta.url)
  .pathname;

/**
 * Keys of the fixture that have no effect here: one warning line each. `[tls]` enabled,
 * auto_generate, cert_path, key_path and `[sharing]` enabled, allow_private_webhooks,
 * max_grants, max_shared_namespaces are honoured (same spelling as ours), so they are not here.
 */
export const WARNED = [
  "server.hybrid_mode",
  "server.core_port",
  "tls.client_ca_path",
  "embeddings.model",
  "limits.embedding_cache_ttl_secs",
  "limits.embedding_cache_max_size",
  "limits.group_commit_batch_size",
  "limits.group_commit_flush_ms",
  "limits.intent_cache_ttl_secs",
  "limits.intent_cache_max_entries",
  "decompose.provider",
  "decompose.api_key",
  "decompose.model",
  "decompose.endpoint",
  "decompose.token_budget",
  "encryption.grace_period_secs",
  "trust.ip_allowlists",
  "decay.enabled",
  "decay.strategy",
  "decay.after_days",
  "consolidation.enabled",
  "consolidation.interval_minutes",
  "consolidation.threshold",
  "consolidation.max_clusters",
  "proxy.extract_model",
  "proxy.extract_provider",
  "proxy.extract_api_key",
  "setup.profile",
  "setup.team_id",
  "setup.team_label",
  "setup.team_catalog_id",
  "setup.team_manifest_path",
];

/** Every secret of the fixture, none of which may ever be printed. */
export const FIXTURE_SECRETS = [
  "compat-jwt-secret-0123456789abcdef-0123456789",
  "compat-audit-hmac-secret-0123456789abcdef-01",
  "ek_compat_admin_key_0123456789abcdef",
  "ek_compat_reader_key_0123456789abcdef",
  "sk-ant-compat-decompose-key",
  "hvs.compat-vault-token",
  "sk-compat-upstream-key",
  "sk-compat-extract-key",
  "sk-ant-compat-anthropic-key",
  "sk-compat-mapped-upstream-key",
];
