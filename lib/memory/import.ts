/**
 * Bulk import from JSONL (one store input per line) or from a `memoryoss export` JSON file.
 * Bad lines are reported with their line number and skipped, unless `strict`, where any bad
 * line aborts before anything is written.
 */
import { MemoryossError } from "../errors/mod.ts";
import type { Runtime } from "./runtime.ts";
import type { StoreInput } from "./schemas.ts";
import { storeMemories, validateStoreInput } from "./write.ts";

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
  failed: ImportError[];
  ids: string[];
}

/** Options for {@link importText}. */
export interface ImportOptions {
  /** Target namespace for every item (overrides each line's own). */
  namespace?: string;
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

/** Split input into (line number, value) pairs, or line errors. */
function parseLines(text: string): { items: [number, unknown][]; failed: ImportError[] } {
  const items: [number, unknown][] = [];
  const failed: ImportError[] = [];
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") && /^\{\s*"format"\s*:\s*"memoryoss\.export/.test(trimmed)) {
    // A whole export document: its records, reduced to importable fields.
    const doc = JSON.parse(text) as { memories?: Record<string, unknown>[] };
    for (const [i, m] of (doc.memories ?? []).entries()) {
      const picked: Record<string, unknown> = {};
      for (const k of EXPORT_KEEP) if (m[k] !== null && m[k] !== undefined) picked[k] = m[k];
      items.push([i + 1, picked]);
    }
    return { items, failed };
  }
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    try {
      items.push([i + 1, JSON.parse(line)]);
    } catch (e) {
      failed.push({ line: i + 1, message: `not valid JSON: ${(e as Error).message}` });
    }
  }
  return { items, failed };
}

/** Import memories from text. */
export async function importText(
  rt: Runtime,
  text: string,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  let parsed;
  try {
    parsed = parseLines(text);
  } catch (e) {
    throw new MemoryossError("INVALID_INPUT", `not a valid export file: ${(e as Error).message}`);
  }
  const { items, failed } = parsed;
  const valid: StoreInput[] = [];
  for (const [line, value] of items) {
    try {
      const obj = (value && typeof value === "object" && !Array.isArray(value))
        ? { ...value as Record<string, unknown> }
        : value;
      if (opts.namespace && obj && typeof obj === "object") {
        (obj as Record<string, unknown>).namespace = opts.namespace;
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
  const results = await storeMemories(rt, valid, (done) => opts.onProgress?.(done, valid.length));
  return {
    total: items.length + failed.filter((f) => !items.some(([l]) => l === f.line)).length,
    created: results.filter((r) => r.outcome === "created").length,
    merged: results.filter((r) => r.outcome === "merged").length,
    failed,
    ids: results.map((r) => r.id),
  };
}
