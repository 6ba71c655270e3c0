/**
 * Skill plugins: folders with a `SKILL.md`, installed into the Claude skills folder, disabled
 * by moving them to a sibling `skills-disabled` folder, enabled by moving them back.
 */
import { basename, join, resolve } from "node:path";
import { MemoryossError, pathExists } from "../errors/mod.ts";
import { frame, textValue } from "./_frontmatter.ts";
import { unlessDenied } from "./denied.ts";

/** The two folders plugins live in. */
export interface SkillDirs {
  enabled: string;
  disabled: string;
}

/** One installed plugin. */
export interface PluginInfo {
  name: string;
  enabled: boolean;
  description: string | null;
  path: string;
}

const SKILL_FILE = "SKILL.md";
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function checkName(name: string): string {
  if (!NAME_RE.test(name) || name.includes("..")) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `'${name}' is not a plugin name (letters, digits, . _ -)`,
    );
  }
  return name;
}

async function readSkill(
  dir: string,
): Promise<{ name: string | null; description: string | null } | null> {
  try {
    const f = frame(await Deno.readTextFile(join(dir, SKILL_FILE)));
    return { name: textValue(f.data.name), description: textValue(f.data.description) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/**
 * Installed plugins (enabled and disabled), sorted by name. Folders without SKILL.md are not
 * plugins and are left out.
 *
 * @example
 * ```ts
 * (await listPlugins(skillDirs(env))).map((p) => `${p.name} ${p.enabled}`);
 * ```
 */
export async function listPlugins(dirs: SkillDirs): Promise<PluginInfo[]> {
  const out: PluginInfo[] = [];
  for (const [dir, enabled] of [[dirs.enabled, true], [dirs.disabled, false]] as const) {
    if (!(await pathExists(dir, { follow: false }))) continue;
    for await (const e of Deno.readDir(dir)) {
      if (!e.isDirectory) continue;
      const skill = await readSkill(join(dir, e.name));
      if (skill) {
        out.push({
          name: e.name,
          enabled,
          description: skill.description,
          path: join(dir, e.name),
        });
      }
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Copy a skill folder in (enabled). Its name is the SKILL.md `name:`, else `fallbackName`, else
 * the folder name. A `.git` folder is not copied.
 *
 * @example
 * ```ts
 * await installPlugin(dirs, "./skills/memory-organize");
 * ```
 */
export async function installPlugin(
  dirs: SkillDirs,
  source: string,
  force = false,
  fallbackName?: string,
): Promise<PluginInfo> {
  const src = resolve(source);
  const skill = await readSkill(src).catch(unlessDenied(null, `read ${src}`));
  if (!skill) {
    throw new MemoryossError("INVALID_INPUT", `${source} is not a skill folder (no ${SKILL_FILE})`);
  }
  const name = checkName(skill.name ?? fallbackName ?? basename(src));
  const target = join(dirs.enabled, name);
  const aside = join(dirs.disabled, name);
  if (
    !force &&
    ((await pathExists(target, { follow: false })) || (await pathExists(aside, { follow: false })))
  ) {
    throw new MemoryossError(
      "CONFLICT",
      `plugin ${name} is already installed (use --force to replace it)`,
    );
  }
  await Deno.remove(target, { recursive: true }).catch(() => {});
  await Deno.remove(aside, { recursive: true }).catch(() => {});
  await Deno.mkdir(dirs.enabled, { recursive: true });
  await copyDir(src, target);
  return { name, enabled: true, description: skill.description, path: target };
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.name === ".git") continue;
    const [a, b] = [join(from, e.name), join(to, e.name)];
    if (e.isDirectory) await copyDir(a, b);
    else if (e.isFile) await Deno.copyFile(a, b);
    // Symlinks are not followed: a plugin must not pull in files from elsewhere.
  }
}

/**
 * Enable or disable by moving the folder between the two directories.
 *
 * @example
 * ```ts
 * await setPluginEnabled(dirs, "memory-prune", false);
 * ```
 */
export async function setPluginEnabled(
  dirs: SkillDirs,
  name: string,
  enabled: boolean,
): Promise<PluginInfo> {
  checkName(name);
  const [from, to] = enabled ? [dirs.disabled, dirs.enabled] : [dirs.enabled, dirs.disabled];
  const src = join(from, name);
  const dst = join(to, name);
  if (!(await pathExists(src, { follow: false }))) {
    if (await pathExists(dst, { follow: false })) {
      return { name, enabled, description: (await readSkill(dst))?.description ?? null, path: dst };
    }
    throw new MemoryossError("NOT_FOUND", `no plugin named ${name}`);
  }
  if (await pathExists(dst, { follow: false })) {
    throw new MemoryossError("CONFLICT", `${dst} already exists`);
  }
  await Deno.mkdir(to, { recursive: true });
  await Deno.rename(src, dst);
  return { name, enabled, description: (await readSkill(dst))?.description ?? null, path: dst };
}

/**
 * Delete a plugin, enabled or disabled.
 *
 * @example
 * ```ts
 * await removePlugin(dirs, "memory-prune");
 * ```
 */
export async function removePlugin(dirs: SkillDirs, name: string): Promise<string> {
  checkName(name);
  for (const dir of [dirs.enabled, dirs.disabled]) {
    const path = join(dir, name);
    if ((await pathExists(path, { follow: false })) && (await readSkill(path))) {
      await Deno.remove(path, { recursive: true });
      return path;
    }
  }
  throw new MemoryossError("NOT_FOUND", `no plugin named ${name}`);
}

/**
 * Text for `lane plugins list`.
 *
 * @example
 * ```ts
 * formatPlugins([]); // "no plugins installed"
 * ```
 */
export function formatPlugins(list: PluginInfo[]): string {
  if (list.length === 0) return "no plugins installed";
  return list.map((p) =>
    `${p.enabled ? "on " : "off"} ${p.name}${p.description ? ` — ${p.description}` : ""}`
  )
    .join("\n");
}
