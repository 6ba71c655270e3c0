/** `lane janitor|plugins`: stale agent processes, and skill folders. */
import * as lane from "../../lib/lane/mod.ts";
import { intValue, strValue } from "../_args.ts";
import { action, flag, invalid, JSON_, num, out, settings, str, type Sub } from "./_shared.ts";

export const janitor: Sub = {
  summary: "find and stop stale agent CLIs (claude, codex, kiro) — dry run by default",
  usage: "janitor list|apply [--min-age-hours 6] [--max 5] [--no-dry-run] [--json]",
  cmmd: "cmmd janitor",
  options: {
    "min-age-hours": str("only processes at least this old (default 6)", "H"),
    "max-cpu-pct": str("only processes using at most this CPU (default 0.5)", "PCT"),
    "require-no-tty": flag("only processes without a controlling terminal (the default)"),
    "allow-tty": flag("also processes attached to a terminal"),
    max: str("apply: stop at most N (default 5; never more than 20)"),
    "no-dry-run": flag("apply: really send signals"),
    pid: str("only this pid (repeatable)", "PID", { multiple: true }),
    ...JSON_,
  },
  positionals: 1,
  notes: [
    `Only these names are ever touched: ${lane.JANITOR_ALLOWLIST.join(", ")}; same user only,`,
    "never this process, its parents or children. A stop is SIGTERM, then SIGKILL after 10 s.",
    "--require-no-tty (on unless --allow-tty): field 7 of /proc/<pid>/stat must be 0; a",
    "process whose stat cannot be read counts as having a terminal.",
  ],
  examples: [
    "memoryoss lane janitor list --json",
    "memoryoss lane janitor apply --min-age-hours 24 --max 5 --no-dry-run",
  ],
  async run(p) {
    const verb = action(p, "janitor", ["list", "apply"] as const);
    if (p.values["require-no-tty"] && p.values["allow-tty"]) {
      throw invalid("--require-no-tty and --allow-tty contradict each other; give one");
    }
    const pids = ((p.values.pid as string[] | undefined) ?? []).map((v) => intValue(v, "pid", 2)!);
    const filter: lane.JanitorFilter = {
      minAgeSec: (num(p.values["min-age-hours"], "min-age-hours") ?? 6) * 3600,
      maxCpuPct: num(p.values["max-cpu-pct"], "max-cpu-pct") ?? 0.5,
      requireNoTty: p.values["allow-tty"] !== true,
      max: verb === "list" ? lane.MAX_KILLS_PER_RUN : intValue(p.values.max, "max", 0) ?? 5,
      ...(pids.length ? { onlyPids: pids } : {}),
    };
    const dryRun = p.values["no-dry-run"] !== true;
    const r = await lane.runJanitor(verb, filter, { dryRun });
    out(p, r, () => Array.isArray(r) ? lane.formatProcesses(r) : lane.formatJanitorReport(r));
    return 0;
  },
};

const env = (k: string) => Deno.env.get(k);

export const plugins: Sub = {
  summary: "skill folders (SKILL.md): list, install PATH|GIT-URL, enable|disable|remove NAME",
  usage: "plugins list|install PATH|GIT-URL|enable NAME|disable NAME|remove NAME [--json]",
  cmmd: "mmctl plugins list|install|remove|disable|enable",
  options: {
    force: flag("install: replace an installed plugin of that name"),
    "skills-dir": str("skills folder (default ~/.claude/skills)", "DIR"),
    ...JSON_,
  },
  positionals: 2,
  notes: [
    "install takes a folder, or a git URL (https://, ssh://, git://, file://, user@host:path)",
    "that is cloned shallowly: the repository root, or its one folder with a SKILL.md.",
    "The plugin is named by its SKILL.md 'name:'. Disabled plugins live in <skills>-disabled.",
  ],
  examples: [
    "memoryoss lane plugins install ./skills/memory-prune",
    "memoryoss lane plugins install https://example.com/me/memory-organize.git",
    "memoryoss lane plugins disable memory-prune",
  ],
  async run(p) {
    await settings(p); // ./.env may set CLAUDE_CONFIG_DIR, where the skills live
    const custom = strValue(p.values["skills-dir"]);
    const dirs = custom
      ? { enabled: custom, disabled: `${custom.replace(/\/+$/, "")}-disabled` }
      : lane.skillDirs(env);
    const verb = action(p, "plugins", ["list", "install", "enable", "disable", "remove"] as const);
    const arg = () =>
      p.positionals[1] ?? (() => {
        throw invalid(`plugins ${verb} needs an argument`);
      })();
    if (verb === "list") {
      const list = await lane.listPlugins(dirs);
      out(p, list, () => lane.formatPlugins(list));
      return 0;
    }
    const force = p.values.force === true;
    const result = verb === "install"
      ? (lane.isGitSource(arg())
        ? await lane.installPluginFromGit(dirs, arg(), force)
        : await lane.installPlugin(dirs, arg(), force))
      : verb === "enable" || verb === "disable"
      ? await lane.setPluginEnabled(dirs, arg(), verb === "enable")
      : { removed: await lane.removePlugin(dirs, arg()) };
    out(
      p,
      result,
      () =>
        "removed" in result
          ? `removed ${result.removed}`
          : `${result.name}: ${result.enabled ? "enabled" : "disabled"} (${result.path})`,
    );
    return 0;
  },
};
