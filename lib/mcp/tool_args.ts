/**
 * The MCP tools' input schemas, picked from the lib/memory zod schemas so that MCP, HTTP and
 * CLI validate alike (tools.ts runs them).
 */
import { z } from "zod";
import {
  FeedbackInputSchema,
  ForgetInputSchema,
  ListInputSchema,
  RecallInputSchema,
  StoreInputSchema,
  UpdateInputSchema,
} from "../memory/mod.ts";

const NS = RecallInputSchema.shape.namespace.describe(
  "namespace (letters, digits, _ and -); default: the server's default namespace",
);

export const RecallArgs = z.strictObject({
  query: RecallInputSchema.shape.query.describe(
    "a focused keyword query (identifiers, names, topics), not the whole prompt",
  ),
  limit: RecallInputSchema.shape.limit.describe("most memories to return (1..100, default 10)"),
  agent: z.string().optional().describe("only memories from this agent"),
  session: z.string().optional().describe("only memories from this session"),
  namespace: NS,
  tags: RecallInputSchema.shape.tags.describe("only memories with any of these tags"),
  expand: z.boolean().optional().describe(
    "rewrite the query with the configured model first (memman's --expand); off by default",
  ),
});

export const StoreArgs = z.strictObject({
  content: StoreInputSchema.shape.content.describe(
    "one self-contained fact, decision or preference (resolve 'it'/'this'; no secrets)",
  ),
  tags: StoreInputSchema.shape.tags.describe("short topic tags"),
  agent: z.string().max(256).optional().describe("who is storing it"),
  session: z.string().max(256).optional().describe("session it came from"),
  namespace: NS,
  memory_type: StoreInputSchema.shape.memory_type.describe(
    "semantic (facts, default) | episodic (events) | procedural (how-to) | working",
  ),
  category: StoreInputSchema.shape.category.describe(
    "preference | decision | fact | insight | context",
  ),
});

export const UpdateArgs = z.strictObject({
  id: UpdateInputSchema.shape.id.describe("id of the memory to change"),
  content: UpdateInputSchema.shape.content.describe("new content (replaces the old)"),
  tags: UpdateInputSchema.shape.tags.describe("new tags (replace the old)"),
  namespace: NS,
});

export const ForgetArgs = z.strictObject({
  ids: z.array(z.string().min(1)).optional().describe(
    "ids of the memories to delete (looked up in every namespace you may use, unless namespace is given)",
  ),
  namespace: NS,
  all: ForgetInputSchema.shape.all.describe(
    "true to delete every memory in the namespace (only when the user asked for it)",
  ),
  dry_run: ForgetInputSchema.shape.dry_run.describe("list what would be deleted, delete nothing"),
});

export const FeedbackArgs = z.strictObject({
  id: FeedbackInputSchema.shape.id.describe("id of the memory the feedback is about"),
  action: FeedbackInputSchema.shape.action.describe(
    "confirm (still true), reject (wrong) or supersede (replaced by superseded_by)",
  ),
  superseded_by: FeedbackInputSchema.shape.superseded_by.describe(
    "for supersede: id of the memory that replaces it",
  ),
  namespace: NS,
});

export const ListArgs = z.strictObject({
  namespace: NS,
  status: ListInputSchema.shape.status.describe(
    "statuses to include (candidate, active, contested, stale); default all",
  ),
  tags: ListInputSchema.shape.tags.describe("only memories with any of these tags"),
  limit: z.number().int().min(1).max(100).optional().describe("page size (1..100, default 20)"),
  offset: ListInputSchema.shape.offset.describe("skip this many (use next_offset of a page)"),
  order: ListInputSchema.shape.order.describe("newest (default) or oldest first"),
});

export const HistoryArgs = z.strictObject({
  id: z.string().min(1).describe("id of any memory in the lineage"),
  namespace: NS,
});
