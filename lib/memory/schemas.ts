/**
 * One zod schema per operation: the single source of truth for input shapes, reused by the
 * CLI, the HTTP API and the MCP tools.
 */
import { z } from "zod";
import { CATEGORIES, MEMORY_TYPES, STATUSES } from "../store/mod.ts";
import { MemoryossError } from "../errors/mod.ts";
import { ILL_FORMED, jsonInputProblem, MAX_METADATA_BYTES } from "./input_checks.ts";

/** Letters, digits, `_` and `-`; Unicode letters allowed (memoryOSS §1.1). */
export const NamespaceSchema = z.string().min(1, "namespace must not be empty").max(128)
  .regex(/^[\p{L}\p{N}_-]+$/u, "namespace may contain only letters, digits, '_' and '-'");

const isTimestamp = (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\d/.test(s);
const TIMESTAMP = { message: "expected an RFC3339 timestamp such as 2026-03-01T12:00:00Z" };
const Timestamp = z.string().refine(isTimestamp, TIMESTAMP);
/** A time bound of a filter: "" is accepted and means no bound, like every empty filter. */
const TimeBound = z.string().refine((s) => s === "" || isTimestamp(s), TIMESTAMP);

/** A string that is well-formed Unicode (no lone surrogates): one rule for every door. */
const Text = z.string().refine((s) => s.isWellFormed(), { message: ILL_FORMED });

const Tag = Text.min(1, "tags must not be empty").max(256);

const Content = Text.refine((s) => s.trim().length > 0, { message: "content must not be empty" });

/** A metadata object within the depth and size limits, with well-formed keys and strings. */
const Metadata = z.record(z.string(), z.unknown()).superRefine((m, ctx) => {
  const p = jsonInputProblem(m, { maxBytes: MAX_METADATA_BYTES });
  if (p) ctx.addIssue({ code: "custom", message: p.message, path: p.path });
});

export const StoreInputSchema = z.strictObject({
  content: Content,
  tags: z.array(Tag).max(50).optional(),
  namespace: NamespaceSchema.optional(),
  agent: Text.max(256).nullish(),
  session: Text.max(256).nullish(),
  memory_type: z.enum(MEMORY_TYPES).optional(),
  category: z.enum(CATEGORIES).nullish(),
  status: z.enum(STATUSES).optional(),
  confidence: z.number().min(0).max(1).nullish(),
  created_at: Timestamp.optional(),
  metadata: Metadata.optional(),
});
export type StoreInput = z.infer<typeof StoreInputSchema>;

const FilterFields = {
  namespace: NamespaceSchema.optional(),
  tags: z.array(Tag).optional(),
  agent: z.string().optional(),
  session: z.string().optional(),
  memory_type: z.enum(MEMORY_TYPES).optional(),
  category: z.enum(CATEGORIES).optional(),
  before: TimeBound.optional(),
  after: TimeBound.optional(),
};

export const RecallInputSchema = z.strictObject({
  query: Text.refine((s) => s.trim().length > 0, { message: "query must not be empty" }),
  limit: z.number().int().min(1).max(100).optional(),
  ...FilterFields,
  /** Statuses to include; default active only (what an agent should see). */
  status: z.array(z.enum(STATUSES)).optional(),
  include_archived: z.boolean().optional(),
  weights: z.strictObject({
    vector: z.number().min(0).max(1).optional(),
    fts: z.number().min(0).max(1).optional(),
    exact: z.number().min(0).max(1).optional(),
    recency: z.number().min(0).max(1).optional(),
  }).optional(),
  min_channel_score: z.number().min(0).max(1).optional(),
  diversity_factor: z.number().min(0).max(1).optional(),
  explain: z.boolean().optional(),
  mode: z.enum(["hybrid", "bm25", "vector"]).optional(),
  /** Follow the memory graph from the hybrid results (default: config `recall.graph`). */
  graph: z.boolean().optional(),
});
export type RecallInput = z.infer<typeof RecallInputSchema>;

export const UpdateInputSchema = z.strictObject({
  id: z.string().min(1),
  namespace: NamespaceSchema.optional(),
  content: Content.optional(),
  tags: z.array(Tag).max(50).optional(),
  memory_type: z.enum(MEMORY_TYPES).optional(),
  category: z.enum(CATEGORIES).nullish(),
  status: z.enum(STATUSES).optional(),
  metadata: Metadata.optional(),
});
export type UpdateInput = z.infer<typeof UpdateInputSchema>;

export const ForgetInputSchema = z.strictObject({
  ...FilterFields,
  ids: z.array(z.string().min(1)).optional(),
  /** Required to forget a whole namespace: no unscoped deletes. */
  all: z.boolean().optional(),
  dry_run: z.boolean().optional(),
});
export type ForgetInput = z.infer<typeof ForgetInputSchema>;

export const ListInputSchema = z.strictObject({
  ...FilterFields,
  status: z.array(z.enum(STATUSES)).optional(),
  include_archived: z.boolean().optional(),
  limit: z.number().int().min(1).max(10000).optional(),
  offset: z.number().int().min(0).optional(),
  order: z.enum(["newest", "oldest"]).optional(),
});
export type ListInput = z.infer<typeof ListInputSchema>;

/**
 * Validate `data` against `schema`, turning the first issue into an INVALID_INPUT error that
 * names its path, e.g. `tags.2: tags must not be empty`.
 *
 * @example
 * ```ts
 * const input = parseInput(StoreInputSchema, { content: "x" });
 * ```
 */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
  let message = issue.message;
  if (issue.code === "unrecognized_keys") message = `unknown field '${issue.keys[0]}'`;
  const where = path.length ? `${path.join(".")}: ` : "";
  throw new MemoryossError("INVALID_INPUT", `${where}${message}`, path);
}
