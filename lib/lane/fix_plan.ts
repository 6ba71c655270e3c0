/**
 * Mechanical repairs, planned as pure functions: the MEMORY.md that indexes exactly the files
 * on disk, grouped by type, within Claude Code's line limit. Applying a plan is `fix.ts`.
 */
import type { MemoryFolder } from "./folder.ts";
import type { MemoryFile } from "./memory_file.ts";
import {
  entryLine,
  INDEX_FILE,
  INDEX_LINE_LIMIT,
  type IndexGroup,
  renderMemoryIndex,
} from "./memory_index.ts";

/** Group headings in index order; files of any other (or no) type go under "Other". */
const GROUPS: [string | null, string][] = [
  ["user", "User"],
  ["feedback", "Feedback"],
  ["project", "Project"],
  ["reference", "Reference"],
  [null, "Other"],
];

/** The index a fix would write. */
export interface IndexPlan {
  text: string;
  lineCount: number;
  /** Within {@link INDEX_LINE_LIMIT}. */
  fits: boolean;
}

/**
 * The regrouped MEMORY.md for a folder: existing entry lines kept verbatim (first one per
 * file, in their order), dangling ones dropped, one new line per unindexed file, notes kept.
 * Returns null when the folder has no memory files and no index.
 *
 * @example
 * ```ts
 * planIndex(await readMemoryFolder(root))?.text;
 * ```
 */
export function planIndex(folder: MemoryFolder): IndexPlan | null {
  if (!folder.index && folder.files.length === 0) return null;
  const byFile = new Map(folder.files.map((f) => [f.file, f]));
  const lineFor = new Map<string, string>();
  for (const e of folder.index?.entries ?? []) {
    if (byFile.has(e.file) && !lineFor.has(e.file)) lineFor.set(e.file, e.text.trim());
  }
  const indexed = [...lineFor.keys()];
  const added = folder.files.filter((f) => !lineFor.has(f.file)).map((f) => f.file);
  for (const file of added) {
    const f = byFile.get(file)!;
    lineFor.set(file, entryLine(file, f.name ?? file.replace(/\.md$/, ""), f.description));
  }
  const order = [...indexed, ...added];
  const groups: IndexGroup[] = GROUPS.map(([type, heading]) => ({
    heading,
    lines: order.filter((file) => groupOf(byFile.get(file)!) === type).map((file) =>
      lineFor.get(file)!
    ),
  }));
  const notes = folder.index?.notes ?? [];
  const crlf = folder.index?.crlf ?? false;
  let text = renderMemoryIndex(groups, notes, crlf);
  if (countLines(text) > INDEX_LINE_LIMIT) text = compact(text, crlf);
  const lineCount = countLines(text);
  return { text, lineCount, fits: lineCount <= INDEX_LINE_LIMIT };
}

function groupOf(f: MemoryFile): string | null {
  const t = f.type?.toLowerCase() ?? null;
  return GROUPS.some(([type]) => type === t) ? t : null;
}

function countLines(text: string): number {
  return text.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n").length;
}

// Blank separator lines are the only thing a regroup can drop without losing content.
function compact(text: string, crlf: boolean): string {
  const eol = crlf ? "\r\n" : "\n";
  return text.split(eol).filter((l) => l.trim() !== "").join(eol) + eol;
}

/** One file write a fix makes. */
export interface FileChange {
  file: string;
  /** Current text, or null when the file does not exist yet. */
  before: string | null;
  after: string;
}

/** What `lane fix` would do. */
export interface FixPlan {
  changes: FileChange[];
  /** Human-readable lines, one per repair. */
  actions: string[];
}

/**
 * Plan the mechanical repairs for a folder. Only MEMORY.md is ever written; an index that
 * already matches the files on disk and fits is left alone, byte for byte.
 *
 * @example
 * ```ts
 * const plan = planFixes(await readMemoryFolder(root));
 * plan.actions; // ["create MEMORY.md indexing 3 file(s)"]
 * ```
 */
export function planFixes(folder: MemoryFolder): FixPlan {
  const plan = planIndex(folder);
  if (!folder.exists || !plan) return { changes: [], actions: [] };
  const actions = indexActions(folder, plan);
  if (actions.length === 0 || plan.text === folder.indexText) return { changes: [], actions: [] };
  return { changes: [{ file: INDEX_FILE, before: folder.indexText, after: plan.text }], actions };
}

function indexActions(folder: MemoryFolder, plan: IndexPlan): string[] {
  if (!folder.index) return [`create ${INDEX_FILE} indexing ${folder.files.length} file(s)`];
  const onDisk = new Set(folder.files.map((f) => f.file));
  const seen = new Set<string>();
  const actions: string[] = [];
  for (const e of folder.index.entries) {
    if (!onDisk.has(e.file)) actions.push(`drop dangling line ${e.line} (${e.target})`);
    else if (seen.has(e.file)) actions.push(`drop repeated line ${e.line} (${e.target})`);
    seen.add(e.file);
  }
  for (const f of folder.files) if (!seen.has(f.file)) actions.push(`add index line for ${f.file}`);
  if (folder.index.lineCount > INDEX_LINE_LIMIT && plan.fits) {
    actions.push(`shrink ${INDEX_FILE} from ${folder.index.lineCount} to ${plan.lineCount} lines`);
  }
  if (actions.length) actions.push(`regroup ${INDEX_FILE} by type`);
  return actions;
}
