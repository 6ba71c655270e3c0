/**
 * Ambient connectors: signals from editors, terminals, tickets, incidents … become review-queue
 * candidates (memoryOSS `GET /v1/connectors`, `POST /v1/connectors/ingest`).
 *
 * @example
 * ```ts
 * import { connectorCatalog } from "./lib/connectors/mod.ts";
 * connectorCatalog().ingest_path; // "/v1/connectors/ingest"
 * ```
 *
 * @module
 */
export { connectorCatalog, ConnectorIngestSchema, ingestConnector } from "./ingest.ts";
