/**
 * File I/O for setup and uninstall: read each file once, fold its pieces, and write only what
 * changed, atomically (temp file + rename, through symlinks, keeping the file's mode), after a
 * backup of the previous text.
 */
import { basename, dirname, join } from "node:path";
import { MemoryossError } from "../errors/mod.ts";
import type { ClientId } from "./clients.ts";
import { isEmptyJson } from "./json_edit.ts";
import type { Piece } from "./plan.ts";
import { type Manifest, setupDir, sha256 } from "./manifest.ts";

/** One file's planned change; `after: null` deletes it. */
export interface FileChange {
  path: string;
  client: ClientId;
  what: string[];
  before: string | null;
  after: string | null;
  mode?: number;
  /** For uninstall: how the text was produced. */
  how?: "restored" | "removed";
}

/** A file left alone, and why. */
export interface FileSkip {
  path: string;
  client: ClientId;
  what: string[];
  reason: string;
}

/** What a run will do (or did). */
export interface FilePlan {
  changes: FileChange[];
  unchanged: { path: string; client: ClientId; what: string[] }[];
  skipped: FileSkip[];
}

/** The file's text, or null when it does not exist. */
export async function readText(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new MemoryossError("IO", `cannot read ${path}: ${(e as Error).message.split(":")[0]}`);
  }
}

function byFile(pieces: Piece[]): Map<string, Piece[]> {
  const m = new Map<string, Piece[]>();
  for (const p of pieces) m.set(p.file, [...(m.get(p.file) ?? []), p]);
  return m;
}

function reason(e: unknown): string {
  if (e instanceof MemoryossError) return e.message;
  throw e;
}

/** Fold `step` over each file's pieces; a piece that refuses skips the whole file. */
async function fold(
  pieces: Piece[],
  step: (p: Piece, text: string | null) => string | null,
): Promise<FilePlan> {
  const plan: FilePlan = { changes: [], unchanged: [], skipped: [] };
  for (const [path, ps] of byFile(pieces)) {
    const before = await readText(path);
    const base = { path, client: ps[0].client, what: ps.map((p) => p.what) };
    let after: string | null = before;
    try {
      for (const p of ps) after = step(p, after);
    } catch (e) {
      plan.skipped.push({ ...base, reason: reason(e) });
      continue;
    }
    if (after === before) plan.unchanged.push(base);
    else plan.changes.push({ ...base, before, after, mode: ps.find((p) => p.mode)?.mode });
  }
  return plan;
}

/**
 * The setup plan: each file with all its pieces applied.
 *
 * @example
 * ```ts
 * const plan = await planApply(planPieces(spec, clientPaths(env)));
 * ```
 */
export function planApply(pieces: Piece[]): Promise<FilePlan> {
  return fold(pieces, (p, t) => p.apply(t));
}

/**
 * The uninstall plan for the files in `manifest`: the original back when a file is still
 * exactly what setup wrote, else the managed pieces cut out (deleting files setup created once
 * nothing else is left).
 */
export async function planRemove(manifest: Manifest, pieces: Piece[]): Promise<FilePlan> {
  const plan: FilePlan = { changes: [], unchanged: [], skipped: [] };
  const files = byFile(pieces);
  for (const [path, entry] of Object.entries(manifest.files)) {
    // Paths can move (CODEX_HOME, CLAUDE_CONFIG_DIR changed): match the piece by file name.
    const ps = files.get(path) ??
      pieces.filter((p) => p.client === entry.client && basename(p.file) === basename(path));
    const base = { path, client: entry.client, what: ps.map((p) => p.what) };
    const before = await readText(path);
    if (before === null) {
      plan.unchanged.push(base);
      continue;
    }
    let after: string | null = before;
    let how: FileChange["how"] = "removed";
    const original = entry.backup ? await readText(entry.backup) : null;
    const same = entry.pristine && await sha256(before) === entry.sha256;
    if (same && (entry.created || original !== null)) {
      after = entry.created ? null : original;
      how = "restored";
    } else {
      try {
        for (const p of ps) after = p.remove(after as string);
      } catch (e) {
        plan.skipped.push({ ...base, reason: reason(e) });
        continue;
      }
      const empty = after!.trim() === "" || (ps[0]?.kind === "json" && isEmptyJson(after!));
      if (entry.created && empty) after = null;
    }
    if (after === before) plan.unchanged.push(base);
    else plan.changes.push({ ...base, before, after, how });
  }
  return plan;
}

/** Where this run's backups go. */
export function backupDir(memoryossHome: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return join(setupDir(memoryossHome), "backups", stamp);
}

/** The backup file name for `path`: the path with separators flattened. */
export function backupName(path: string): string {
  return path.replace(/^[A-Za-z]:/, "").replace(/^[\\/]+/, "").replace(/[\\/]/g, "__");
}

/** Copy `text` (the file before this run) to the backup folder; returns the copy's path. */
export async function backup(dir: string, path: string, text: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  // Never overwrite an earlier backup: the manifest may point at it as the original.
  for (let n = 0;; n++) {
    const to = join(dir, backupName(path) + (n ? `.${n}` : ""));
    try {
      await Deno.writeTextFile(to, text, { mode: 0o600, createNew: true });
      return to;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
  }
}

/** Write `text` atomically, through a symlink to its target, keeping an existing mode. */
export async function writeAtomic(path: string, text: string, newMode?: number): Promise<void> {
  let target = path;
  let mode = newMode;
  try {
    target = await Deno.realPath(path);
    mode = (await Deno.stat(target)).mode ?? undefined;
  } catch { /* a new file */ }
  try {
    await Deno.mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.memoryoss-tmp`;
    await Deno.writeTextFile(tmp, text, mode === undefined ? {} : { mode: mode & 0o777 });
    if (mode !== undefined && Deno.build.os !== "windows") await Deno.chmod(tmp, mode & 0o777);
    await Deno.rename(tmp, target);
  } catch (e) {
    throw new MemoryossError("IO", `cannot write ${path}: ${(e as Error).message.split(":")[0]}`);
  }
}

/** Apply every change (backing up what was there); returns the backup folder used, if any. */
export async function writeChanges(
  changes: FileChange[],
  memoryossHome: string,
  now: Date,
  onWritten: (
    c: FileChange,
    backupPath: string | null,
    createdDirs: string[],
  ) => Promise<void> | void = () => {},
): Promise<string | null> {
  const dir = backupDir(memoryossHome, now);
  let used = false;
  for (const c of changes) {
    let saved: string | null = null;
    if (c.before !== null) {
      saved = await backup(dir, c.path, c.before);
      used = true;
    }
    let created: string[] = [];
    if (c.after === null) {
      await Deno.remove(c.path).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) {
          throw new MemoryossError("IO", `cannot remove ${c.path}: ${(e as Error).message}`);
        }
      });
    } else {
      created = await missingDirs(dirname(c.path));
      await writeAtomic(c.path, c.after, c.mode);
    }
    await onWritten(c, saved, created);
  }
  return used ? dir : null;
}

/** The folders from `dir` upwards that do not exist yet, deepest first. */
async function missingDirs(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (let d = dir; d !== dirname(d); d = dirname(d)) {
    try {
      await Deno.lstat(d);
      break;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) break;
      out.push(d);
    }
  }
  return out;
}

/**
 * Removes the folders setup created while they are empty, deepest first; a folder holding
 * anything of the user's stays, and so do its parents.
 */
export async function removeEmptyDirs(dirs: string[]): Promise<void> {
  for (const d of [...new Set(dirs)].sort((a, b) => b.length - a.length)) {
    await Deno.remove(d).catch(() => {}); // not recursive: a non-empty folder stays
  }
}
