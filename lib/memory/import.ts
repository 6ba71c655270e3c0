/**
 * Bulk import from JSONL (one store input per line) or from a `memoryoss export` JSON file.
 * Bad lines (not UTF-8, not JSON, or failing the store checks) are reported with their line
 * number and skipped, unless `strict`, where any bad line aborts before anything is written.
 */
import { MemoryossError } from "../errors/mod.ts";
import type { Runtime } from "./runtime.ts";
import type { StoreInput } from "./schemas.ts";
import { replayMemories, storeMemories } from "./write.ts";
import { validateStoreInput } from "./write_input.ts";
import { decodeUtf8Lines } from "./input_checks.ts";
import { refuseWhileStopped } from "../scheduler/mod.ts";

/** One rejected line. */
export interface ImportError {
  line: number;
  message: string;
}

/** `import` output. */
export interface ImportResult {
  total: number;
  created: number;
  merged: number;
  /**
   * Export records whose memory was already there with every tag: nothing written (importing
   * an export again changes no id, version or evidence count).
   */
  unchanged: number;
  failed: ImportError[];
  ids: string[];
}

/** Options for {@link importText}. */
export interface ImportOptions {
  /** Target namespace for every item (overrides each line's own). */
  namespace?: string;
  /** Namespace of items that name none (the CLI's namespace rule; default `default`). */
  defaultNamespace?: string;
  strict?: boolean;
  onProgress?: (done: number, total: number) => void;
}

const EXPORT_KEEP = [
  "content",
  "tags",
  "agent",
  "session",
  "memory_type",
  "category",
  "status",
  "confidence",
  "created_at",
  "metadata",
  "namespace",
] as const;

const NOT_UTF8 = "not valid UTF-8";

/**
 * Input as lines: text splits at line ends; bytes are decoded line by line as strict UTF-8
 * (null for a line that is not), so one bad line does not spoil the others.
 */
function linesOf(input: string | Uint8Array): (string | null)[] {
  return typeof input === "string" ? input.split("\n") : decodeUtf8Lines(input);
}

/** Split input into (line number, value) pairs, or line errors. */
function parseLines(
  input: string | Uint8Array,
): { items: [number, unknown][]; failed: ImportError[]; fromExport?: boolean } {
  const items: [number, unknown][] = [];
  const failed: ImportError[] = [];
  const lines = linesOf(input);
  const text = lines.map((l) => l ?? "").join("\n");
  if (/^\{\s*"format"\s*:\s*"memoryoss\.export/.test(text.trimStart())) {
    // A whole export document: its records, reduced to importable fields (each is checked
    // like a JSONL line, so one bad record is skipped and reported, not the whole file).
    const bad = lines.indexOf(null);
    if (bad >= 0) throw new Error(`line ${bad + 1} is ${NOT_UTF8}`);
    const doc = JSON.parse(text) as { memories?: Record<string, unknown>[] };
    for (const [i, m] of (doc.memories ?? []).entries()) {
      const picked: Record<string, unknown> = {};
      for (const k of EXPORT_KEEP) if (m[k] !== null && m[k] !== undefined) picked[k] = m[k];
      items.push([i + 1, picked]);
    }
    return { items, failed, fromExport: true };
  }
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === null) {
      failed.push({ line: i + 1, message: NOT_UTF8 });
      continue;
    }
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      items.push([i + 1, JSON.parse(line)]);
    } catch (e) {
      failed.push({ line: i + 1, message: `not valid JSON: ${(e as Error).message}` });
    }
  }
  return { items, failed };
}

/**
 * Import memories from text, or from raw bytes (a file, stdin): bytes are decoded line by
 * line as strict UTF-8, and a line that is not valid UTF-8 is a bad line.
 */
export async function importText(
  rt: Runtime,
  input: string | Uint8Array,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  refuseWhileStopped(rt.loaded.home, "import");
  let parsed;
  try {
    parsed = parseLines(input);
  } catch (e) {
    if (e instanceof MemoryossError) throw e;
    throw new MemoryossError("INVALID_INPUT", `not a valid export file: ${(e as Error).message}`);
  }
  const { items, failed, fromExport } = parsed;
  const valid: StoreInput[] = [];
  for (const [line, value] of items) {
    try {
      const obj = (value && typeof value === "object" && !Array.isArray(value))
        ? { ...value as Record<string, unknown> }
        : value;
      if (obj && typeof obj === "object") {
        const item = obj as Record<string, unknown>;
        if (opts.namespace) item.namespace = opts.namespace;
        else if (item.namespace === undefined && opts.defaultNamespace) {
          item.namespace = opts.defaultNamespace;
        }
      }
      valid.push(validateStoreInput(rt, obj));
    } catch (e) {
      failed.push({ line, message: (e as Error).message });
    }
  }
  failed.sort((a, b) => a.line - b.line);
  if (opts.strict && failed.length > 0) {
    const f = failed[0];
    throw new MemoryossError(
      "INVALID_INPUT",
      `line ${f.line}: ${f.message} (${failed.length} bad line(s); nothing imported because of --strict)`,
    );
  }
  // An export's records are memories coming back: one already here is not new evidence.
  const progress = (done: number) => opts.onProgress?.(done, valid.length);
  // Graph edges of imported memories are written by the next drain (import_links.ts).
  const defer = { deferLinks: true };
  const results = fromExport
    ? await replayMemories(rt, valid, progress, defer)
    : await storeMemories(rt, valid, progress, defer);
  return {
    total: items.length + failed.filter((f) => !items.some(([l]) => l === f.line)).length,
    created: results.filter((r) => r.outcome === "created").length,
    merged: results.filter((r) => r.outcome === "merged").length,
    unchanged: results.filter((r) => r.outcome === "unchanged").length,
    failed,
    ids: results.map((r) => r.id),
  };
}
