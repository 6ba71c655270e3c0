/**
 * Memory operations: the one implementation of store / recall / update / forget / list /
 * inspect / export / import / status that the CLI, HTTP API and MCP server all call.
 *
 * @module
 */
export { openRuntime, type Runtime, type RuntimeOptions } from "./runtime.ts";
export {
  DEFAULT_NAMESPACE,
  requireMemory,
  storeMemories,
  storeMemory,
  type StoreResult,
  updateMemory,
  validateStoreInput,
} from "./write.ts";
export {
  exportNamespace,
  inspectMemory,
  listMemories,
  type ListResponse,
  recall,
  type RecalledMemory,
  type RecallResponse,
  status,
} from "./read.ts";
export { forget, type ForgetResult } from "./forget.ts";
export { type ImportError, type ImportOptions, type ImportResult, importText } from "./import.ts";
export { reembed, type ReembedResult } from "./reembed.ts";
export { conflicts, signature } from "./contradiction.ts";
export * from "./schemas.ts";
