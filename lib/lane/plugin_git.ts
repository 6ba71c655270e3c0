/**
 * `lane plugins install <git URL>`: a shallow `git clone` into a private temp folder, then the
 * skill folder in it (the repository root, or its only folder holding a SKILL.md) installed
 * like a local one — named by its SKILL.md, never `cmmd-plugin-<pid>`.
 */
import { join } from "node:path";
import { MemoryossError } from "../errors/mod.ts";
import { runGit } from "./git.ts";
import { installPlugin, type PluginInfo, type SkillDirs } from "./plugins.ts";

const SCHEMES = /^(?:https?|ssh|git|file):\/\//i;
const SCP_LIKE = /^[\w.-]+@[\w.-]+:(?!\/\/)/;

/**
 * True when `source` names a git repository rather than a local folder: an `https://`,
 * `http://`, `ssh://`, `git://` or `file://` URL, or scp-like `user@host:path`.
 *
 * @example
 * ```ts
 * isGitSource("https://github.com/me/skill.git"); // true
 * isGitSource("./skills/memory-prune"); // false
 * ```
 */
export function isGitSource(source: string): boolean {
  return SCHEMES.test(source) || SCP_LIKE.test(source);
}

async function hasSkill(dir: string): Promise<boolean> {
  return await Deno.stat(join(dir, "SKILL.md")).then((s) => s.isFile, () => false);
}

/** The repository root when it is a skill, else its one sub-folder (depth ≤ 2) that is. */
async function skillFolder(repo: string, url: string): Promise<string> {
  if (await hasSkill(repo)) return repo;
  const found: string[] = [];
  const look = async (dir: string, depth: number) => {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isDirectory || e.name === ".git") continue;
      const sub = join(dir, e.name);
      if (await hasSkill(sub)) found.push(sub);
      else if (depth < 2) await look(sub, depth + 1);
    }
  };
  await look(repo, 1);
  if (found.length === 1) return found[0];
  throw new MemoryossError(
    "INVALID_INPUT",
    found.length
      ? `${url} holds ${found.length} skills; clone it and install one folder by path`
      : `${url} is not a skill repository (no SKILL.md)`,
  );
}

/**
 * Clone and install. The clone never prompts for credentials and is removed afterwards.
 *
 * @example
 * ```ts
 * await installPluginFromGit(dirs, "file:///srv/git/memory-prune.git");
 * ```
 */
export async function installPluginFromGit(
  dirs: SkillDirs,
  url: string,
  force = false,
): Promise<PluginInfo & { source: string }> {
  if (url.startsWith("-")) throw new MemoryossError("INVALID_INPUT", `'${url}' is not a git URL`);
  const tmp = await Deno.makeTempDir({ prefix: "memoryoss-plugin-" });
  try {
    const r = await runGit(tmp, ["clone", "--depth", "1", "--quiet", "--", url, "repo"]);
    if (r.code !== 0) {
      const why = r.stderr.trim().split("\n").at(-1) ?? `exit ${r.code}`;
      throw new MemoryossError("UNAVAILABLE", `git clone ${url} failed: ${why}`);
    }
    const root = join(tmp, "repo");
    const folder = await skillFolder(root, url);
    // A skill at the repository root without a `name:` is named after the repository.
    const repoName = url.replace(/[/\\]+$/, "").split(/[/:\\]/).pop()!.replace(/\.git$/, "");
    const fallback = folder === root && repoName ? repoName : undefined;
    return { ...(await installPlugin(dirs, folder, force, fallback)), source: url };
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}
