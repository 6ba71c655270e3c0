/**
 * Undo for the memory lane: a git repository inside the memory root, created on first use,
 * committed with a synthetic identity so it never needs (or touches) the user's git config.
 */
import { join } from "node:path";
import { MemoryossError } from "../errors/mod.ts";

/** Prefix of every commit message the lane writes. */
export const COMMIT_PREFIX = "[memoryoss-lane]";

// Per-command config: a fixed identity, no signing, no hooks, bytes stored as they are.
const CONFIG = [
  "-c",
  "user.name=memoryoss lane",
  "-c",
  "user.email=lane@memoryoss.invalid",
  "-c",
  "commit.gpgsign=false",
  "-c",
  "core.autocrlf=false",
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "init.defaultBranch=main",
];

/** Output of one git command. */
export interface GitOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run git in `root` with the lane's fixed config. Throws UNAVAILABLE when git is missing.
 *
 * @example
 * ```ts
 * (await runGit("/tmp/memory", ["status", "--short"])).stdout;
 * ```
 */
export async function runGit(root: string, args: string[]): Promise<GitOutput> {
  let out;
  try {
    out = await new Deno.Command("git", {
      args: [...CONFIG, ...args],
      cwd: root,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" },
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new MemoryossError(
        "UNAVAILABLE",
        "git is not installed; the memory lane needs it for undo",
      );
    }
    throw e;
  }
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function gitOk(root: string, args: string[]): Promise<string> {
  const r = await runGit(root, args);
  if (r.code !== 0) {
    throw new MemoryossError(
      "IO",
      `git ${args[0]} failed in ${root}: ${r.stderr.trim() || r.stdout.trim()}`,
    );
  }
  return r.stdout;
}

/**
 * True when the memory root has its own `.git`.
 *
 * @example
 * ```ts
 * await hasRepo("/tmp/memory"); // false before the first snapshot
 * ```
 */
export async function hasRepo(root: string): Promise<boolean> {
  try {
    await Deno.stat(join(root, ".git"));
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** A snapshot: the commit that holds the folder as it was. */
export interface Snapshot {
  sha: string;
  /** A new commit was made (false: nothing had changed since HEAD). */
  committed: boolean;
}

/**
 * Commit everything in the root (creating the repository on first use) and return the commit
 * that now holds it. With nothing changed, HEAD is returned.
 *
 * @example
 * ```ts
 * const { sha } = await snapshot(root, "pre-fix snapshot");
 * ```
 */
export async function snapshot(root: string, message: string): Promise<Snapshot> {
  if (!(await hasRepo(root))) {
    await gitOk(root, ["init", "-q"]);
    await gitOk(root, ["add", "-A"]);
    await gitOk(root, ["commit", "-q", "--allow-empty", "-m", `${COMMIT_PREFIX} initial snapshot`]);
    return { sha: await head(root), committed: true };
  }
  await gitOk(root, ["add", "-A"]);
  const staged = await runGit(root, ["diff", "--cached", "--quiet"]);
  const hasHead = (await runGit(root, ["rev-parse", "--verify", "--quiet", "HEAD"])).code === 0;
  if (staged.code === 0 && hasHead) return { sha: await head(root), committed: false };
  await gitOk(root, ["commit", "-q", "--allow-empty", "-m", `${COMMIT_PREFIX} ${message}`]);
  return { sha: await head(root), committed: true };
}

async function head(root: string): Promise<string> {
  return (await gitOk(root, ["rev-parse", "HEAD"])).trim();
}

/**
 * Resolve a user-given revision to a full commit SHA, or NOT_FOUND.
 *
 * @example
 * ```ts
 * await resolveCommit(root, "HEAD~1"); // full 40-hex SHA
 * ```
 */
export async function resolveCommit(root: string, rev: string): Promise<string> {
  if (!rev || rev.startsWith("-")) {
    throw new MemoryossError("INVALID_INPUT", `not a commit: '${rev}'`);
  }
  if (!(await hasRepo(root))) {
    throw new MemoryossError(
      "NOT_FOUND",
      `${root} has no snapshot history yet (run 'lane fix' or 'lane tend')`,
    );
  }
  const r = await runGit(root, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  if (r.code !== 0) throw new MemoryossError("NOT_FOUND", `no snapshot '${rev}' in ${root}`);
  return r.stdout.trim();
}

/** One commit of the lane history. */
export interface LogEntry {
  sha: string;
  time_unix: number;
  subject: string;
}

/**
 * Newest-first commits of the memory root's repository (empty when there is none).
 *
 * @example
 * ```ts
 * (await gitLog(root, 5)).map((e) => e.subject);
 * ```
 */
export async function gitLog(root: string, limit = 20): Promise<LogEntry[]> {
  if (!(await hasRepo(root))) return [];
  const r = await runGit(root, ["log", `-n${limit}`, "--format=%H%x09%ct%x09%s"]);
  if (r.code !== 0) return []; // a repository without commits
  return r.stdout.split("\n").filter(Boolean).map((l) => {
    const [sha, ct, ...rest] = l.split("\t");
    return { sha, time_unix: Number(ct), subject: rest.join("\t") };
  });
}

/**
 * Unified diff from a snapshot to the folder as it is now (new files included).
 *
 * @example
 * ```ts
 * console.log(await diffSince(root, "HEAD~1"));
 * ```
 */
export async function diffSince(root: string, rev: string): Promise<string> {
  const sha = await resolveCommit(root, rev);
  // Staging touches only git's index, never the files, and lets new files show up.
  await gitOk(root, ["add", "-A"]);
  return await gitOk(root, ["diff", "--cached", sha]);
}

/** What a restore did. */
export interface RestoreResult {
  restored: string;
  /** Snapshot of the folder just before the restore (so a restore can be undone too). */
  before: string;
  head: string;
}

/**
 * Put the folder back exactly as it was at `rev`: files changed since are rewritten, files
 * added since are removed. History is kept: the current state is snapshotted first and the
 * restore is a new commit.
 *
 * @example
 * ```ts
 * await restoreSnapshot(root, sha);
 * ```
 */
export async function restoreSnapshot(root: string, rev: string): Promise<RestoreResult> {
  const sha = await resolveCommit(root, rev);
  const before = await snapshot(root, `snapshot before restore to ${sha.slice(0, 12)}`);
  await gitOk(root, ["restore", `--source=${sha}`, "--staged", "--worktree", "--", "."]);
  await gitOk(root, [
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    `${COMMIT_PREFIX} restore to ${sha.slice(0, 12)}`,
  ]);
  return { restored: sha, before: before.sha, head: await head(root) };
}
