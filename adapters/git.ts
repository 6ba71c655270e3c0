/**
 * The git_history adapter (memoryOSS §5.6): recent commits, read through `git log`, become
 * candidate episodic memories. Parsing and summarising are pure; running git is passed in.
 *
 * @module
 */
import { MemoryossError } from "../lib/errors/mod.ts";

/** Commits read per import. */
export const MAX_COMMITS = 24;

/**
 * The `git log` format: hash, committer date (strict ISO), subject and body separated by
 * U+001F, each commit ended by U+001E. memoryOSS reads the same fields without the date.
 */
export const LOG_FORMAT = "%H%x1f%cI%x1f%s%x1f%b%x1e";

/** One parsed commit. */
export interface Commit {
  sha: string;
  /** RFC 3339, or null when the log had no date field. */
  date: string | null;
  subject: string;
  body: string;
}

/**
 * Parses `git log --format=LOG_FORMAT` output (also the 3-field memoryOSS form).
 *
 * @example
 * ```ts
 * parseGitLog("abc\x1f2026-03-01T10:00:00+01:00\x1ffix: x\x1f\x1e")[0].subject; // "fix: x"
 * ```
 */
export function parseGitLog(output: string): Commit[] {
  const out: Commit[] = [];
  for (const rec of output.split("\x1e")) {
    const fields = rec.replace(/^\s+/, "").split("\x1f");
    if (fields.length < 3 || !/^[0-9a-f]{7,64}$/i.test(fields[0])) continue;
    const [sha, date, subject, body] = fields.length >= 4
      ? fields
      : [fields[0], null, fields[1], fields[2]];
    out.push({
      sha: sha.toLowerCase(),
      date: date || null,
      subject: subject.trim(),
      body: (body ?? "").trim(),
    });
  }
  return out;
}

const KINDS: Record<string, string> = {
  feat: "feature",
  feature: "feature",
  fix: "fix",
  revert: "revert",
  docs: "docs change",
  refactor: "refactor",
  test: "test change",
  tests: "test change",
  chore: "maintenance",
  build: "maintenance",
  ci: "maintenance",
};
const CONVENTIONAL = /^([A-Za-z]+)(?:\(([^)]*)\))?!?:\s*(.+)$/;

const period = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

/**
 * The memory text for a commit: conventional subjects become "Git fix (scope): rest.",
 * others "Git change: subject — first body line.".
 *
 * @example
 * ```ts
 * gitSummary("feat(api): add recall batch", ""); // "Git feature (api): add recall batch."
 * ```
 */
export function gitSummary(subject: string, body: string): string {
  const m = CONVENTIONAL.exec(subject.trim());
  if (m) {
    const kind = KINDS[m[1].toLowerCase()] ?? "change";
    return period(`Git ${kind}${m[2] ? ` (${m[2].trim()})` : ""}: ${m[3].trim()}`);
  }
  const first = body.split("\n").map((l) => l.trim()).find((l) => l.length > 0);
  return period(`Git change: ${subject.trim()}${first ? ` — ${first}` : ""}`);
}

/** Runs git with arguments and returns stdout (or throws). Passed in so tests can fake it. */
export type GitRunner = (args: string[]) => Promise<string>;

/**
 * The default runner: `git` on PATH, no prompts, output as UTF-8.
 *
 * @example
 * ```ts
 * const out = await runGitCommand(["-C", ".", "log", "-1"]);
 * ```
 */
export async function runGitCommand(args: string[]): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("git", {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { GIT_TERMINAL_PROMPT: "0" },
    }).output();
  } catch (e) {
    throw new MemoryossError("UNAVAILABLE", `cannot run git: ${(e as Error).message}`);
  }
  if (!out.success) {
    const msg = new TextDecoder().decode(out.stderr).trim().split("\n")[0];
    throw new MemoryossError("INVALID_INPUT", `git failed: ${msg || `exit ${out.code}`}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/**
 * The most recent commits of the repository at `dir`.
 *
 * @example
 * ```ts
 * const commits = await readGitHistory(".");
 * ```
 */
export async function readGitHistory(
  dir: string,
  run: GitRunner = runGitCommand,
): Promise<Commit[]> {
  return parseGitLog(
    await run(["-C", dir, "log", `--max-count=${MAX_COMMITS}`, `--format=${LOG_FORMAT}`]),
  );
}
