/** `lane fix`: apply the planned mechanical repairs, each run framed by git snapshots. */
import { join } from "node:path";
import { readMemoryFolder } from "./folder.ts";
import { type FileChange, planFixes } from "./fix_plan.ts";
import { snapshot } from "./git.ts";

/** What a fix run did (or, in dry run, would do). */
export interface FixResult {
  root: string;
  dry_run: boolean;
  actions: string[];
  changes: { file: string; created: boolean; after: string }[];
  /** Snapshot taken before the first write (null in dry run or with nothing to do). */
  pre_sha: string | null;
  /** Commit holding the fixed folder. */
  post_sha: string | null;
}

/** Options for {@link runFix}. */
export interface FixOptions {
  dryRun?: boolean;
  /** Unix seconds for commit messages (passed in so tests can fix the clock). */
  now?: number;
}

/**
 * Plan and apply the repairs for a root. Nothing is written unless the plan has changes; when
 * it has, the folder is committed first so `lane restore <pre_sha>` undoes the run.
 *
 * @example
 * ```ts
 * const r = await runFix("/tmp/memory", { dryRun: true });
 * r.actions; // ["drop dangling line 7 (gone.md)", "regroup MEMORY.md by type"]
 * ```
 */
export async function runFix(root: string, opts: FixOptions = {}): Promise<FixResult> {
  const dryRun = opts.dryRun ?? false;
  const folder = await readMemoryFolder(root);
  const plan = planFixes(folder);
  const result: FixResult = {
    root,
    dry_run: dryRun,
    actions: plan.actions,
    changes: plan.changes.map((c) => ({
      file: c.file,
      created: c.before === null,
      after: c.after,
    })),
    pre_sha: null,
    post_sha: null,
  };
  if (dryRun || plan.changes.length === 0) return result;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  result.pre_sha = (await snapshot(root, `pre-fix snapshot at unix=${now}`)).sha;
  for (const change of plan.changes) await writeAtomic(root, change);
  result.post_sha = (await snapshot(root, `fix: ${summarize(plan.actions)}`)).sha;
  return result;
}

/** A commit subject that stays one readable line however many files were indexed. */
function summarize(actions: string[]): string {
  const head = actions.slice(0, 4).join("; ");
  return actions.length > 4 ? `${head}; +${actions.length - 4} more` : head;
}

/** Write through a temp file and rename, so Claude Code never reads half an index. */
async function writeAtomic(root: string, change: FileChange): Promise<void> {
  const path = join(root, change.file);
  const tmp = join(root, `.${change.file}.lane-tmp`);
  await Deno.writeTextFile(tmp, change.after);
  await Deno.rename(tmp, path);
}
