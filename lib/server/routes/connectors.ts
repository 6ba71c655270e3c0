/**
 * Connector routes (memoryOSS §2.5): `GET /v1/connectors` (reader) lists the ambient
 * connectors; `POST /v1/connectors/ingest` (writer) turns one signal into a review-queue
 * candidate in the caller's namespace (`lib/connectors`).
 */
import { Hono } from "hono";
import { resolveNamespace } from "../../auth/mod.ts";
import { connectorCatalog, ConnectorIngestSchema, ingestConnector } from "../../connectors/mod.ts";
import { parseInput, validateStoreInput } from "../../memory/mod.ts";
import type { AppEnv, ServerState } from "../context.ts";
import { requireRole } from "../middleware/auth.ts";
import { body, queryInput } from "./_helpers.ts";

/** The connector routes, mounted under `/v1`. */
export function connectorRoutes(state: ServerState): Hono<AppEnv> {
  const { rt, queue, metrics } = state;
  const r = new Hono<AppEnv>();

  r.get("/connectors", requireRole("reader"), (c) => {
    queryInput(c, {});
    return c.json(connectorCatalog());
  });

  r.post("/connectors/ingest", requireRole("writer"), async (c) => {
    const input = parseInput(ConnectorIngestSchema, body(c));
    const namespace = resolveNamespace(c.get("principal"), input.namespace);
    const res = await ingestConnector(
      input,
      namespace,
      (inputs, sourceKey) =>
        queue.store(inputs.map((i) => validateStoreInput(rt, i)), { sourceKey }),
    );
    if (!res.dry_run) metrics.inc("stores_total", namespace);
    return c.json(res);
  });

  return r;
}
