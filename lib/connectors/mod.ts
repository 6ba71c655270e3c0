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
export {
  CONNECTOR_KINDS,
  connectorCatalog,
  type ConnectorInfo,
  type ConnectorIngestInput,
  type ConnectorIngestResult,
  ConnectorIngestSchema,
  connectorKind,
  ingestConnector,
  sourceRefTag,
} from "./ingest.ts";
