/** Reading a memory root from disk into parsed files (the only I/O the audit needs). */
import { join } from "node:path";
import { MemoryossError } from "../errors/mod.ts";
import { rethrowDenied } from "./denied.ts";
import { INDEX_FILE, type MemoryIndex, parseMemoryIndex } from "./memory_index.ts";
import { type MemoryFile, parseMemoryFile } from "./memory_file.ts";

/** A memory root as read from disk. */
export interface MemoryFolder {
  root: string;
  /** The root exists and is a directory. */
  exists: boolean;
  /** Memory files (top-level regular `*.md` except MEMORY.md), sorted by name. */
  files: MemoryFile[];
  /** The parsed MEMORY.md, or null when it is missing. */
  index: MemoryIndex | null;
  /** Raw bytes of MEMORY.md as text, or null (kept so fixes can compare). */
  indexText: string | null;
}

// ignoreBOM keeps a BOM in the text so the parser can report it.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Read a memory root: only top-level regular `.md` files; symlinks, folders and files that
 * are not valid UTF-8 are skipped, as Claude Code would not load them either.
 *
 * @example
 * ```ts
 * const folder = await readMemoryFolder("/home/me/.claude/projects/-home-me-app/memory");
 * folder.files.map((f) => f.name);
 * ```
 */
export async function readMemoryFolder(root: string): Promise<MemoryFolder> {
  const empty: MemoryFolder = { root, exists: false, files: [], index: null, indexText: null };
  try {
    if (!(await Deno.stat(root)).isDirectory) return empty;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return empty;
    throw e;
  }
  const files: MemoryFile[] = [];
  let index: MemoryIndex | null = null;
  let indexText: string | null = null;
  for await (const entry of Deno.readDir(root)) {
    if (!entry.isFile || !entry.name.endsWith(".md")) continue;
    const text = await readUtf8(join(root, entry.name));
    if (text === null) continue;
    if (entry.name === INDEX_FILE) {
      indexText = text;
      index = parseMemoryIndex(text);
    } else files.push(parseMemoryFile(entry.name, text));
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { root, exists: true, files, index, indexText };
}

/**
 * `root` when it is an existing folder; else NOT_FOUND (exit 4) or INVALID_INPUT naming it.
 *
 * @example
 * ```ts
 * await requireMemoryRoot("/nonexistent"); // throws "memory folder not found: /nonexistent"
 * ```
 */
export async function requireMemoryRoot(root: string): Promise<string> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(root);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new MemoryossError("NOT_FOUND", `memory folder not found: ${root}`);
    }
    rethrowDenied(e, `read the memory folder ${root}`);
    throw e;
  }
  if (!info.isDirectory) {
    throw new MemoryossError("INVALID_INPUT", `the memory root ${root} is not a folder`);
  }
  return root;
}

async function readUtf8(path: string): Promise<string | null> {
  try {
    return utf8.decode(await Deno.readFile(path));
  } catch (e) {
    if (e instanceof TypeError) return null; // not UTF-8
    throw e;
  }
}
