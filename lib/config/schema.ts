import { z } from "zod";

/** Every config key with its default. The template in `template.ts` documents each one. */
export const ConfigSchema = z.strictObject({
  server: z.strictObject({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(0).max(65535).default(8000),
    max_body_bytes: z.number().int().positive().default(2 * 1024 * 1024),
  }).prefault({}),
  storage: z.strictObject({
    /** Database file; relative paths are resolved against the home folder. */
    path: z.string().min(1).default("memoryoss.db"),
    busy_timeout_ms: z.number().int().min(0).default(10000),
  }).prefault({}),
  embeddings: z.strictObject({
    provider: z.enum(["builtin", "openai"]).default("builtin"),
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
  }).prefault({}),
  recall: z.strictObject({
    default_limit: z.number().int().min(1).max(100).default(10),
    min_channel_score: z.number().min(0).max(1).default(0),
    diversity_factor: z.number().min(0).max(1).default(0),
    semantic_dedup_threshold: z.number().min(0).max(1).default(0.95),
    weights: z.strictObject({
      vector: z.number().min(0).max(1).default(0.3),
      fts: z.number().min(0).max(1).default(0.3),
      exact: z.number().min(0).max(1).default(0.25),
      recency: z.number().min(0).max(1).default(0.15),
    }).prefault({}),
  }).prefault({}),
  logging: z.strictObject({
    level: z.enum(["error", "warn", "info", "debug"]).default("info"),
  }).prefault({}),
});

/** The validated configuration. */
export type Config = z.infer<typeof ConfigSchema>;
