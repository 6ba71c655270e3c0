/** `lane service install|remove|status`: `lane tend` as a user-level service. */
import { resolveHome } from "../../lib/config/mod.ts";
import * as lane from "../../lib/lane/mod.ts";
import { denoRunner, formatJobChange } from "../../lib/schedule/mod.ts";
import { type CommandSpec, parseCommand } from "../_args.ts";
import { PERMISSIONS } from "../permissions.ts";
import { action, flag, invalid, JSON_, out, settings, type Sub } from "./_shared.ts";
import { tend } from "./tend.ts";

/** `lane tend` flags passed after `--`, checked now so the service does not fail at start. */
function tendArgs(args: string[]): string[] {
  const spec: CommandSpec = {
    name: "lane tend",
    summary: tend.summary,
    usage: [],
    options: tend.options,
  };
  const p = parseCommand(spec, args);
  if (!p) throw invalid("--help is not a flag for the service; see 'memoryoss lane tend --help'");
  if (p.positionals.length) throw invalid(`unexpected argument '${p.positionals[0]}' for tend`);
  if (p.values.once) throw invalid("a service runs continuously; --once is for a single pass");
  return args;
}

async function context(p: Parameters<Sub["run"]>[0]): Promise<lane.ServiceContext> {
  await settings(p); // puts ./.env into the environment, MEMORYOSS_HOME included
  const env = (k: string) => Deno.env.get(k);
  return {
    os: Deno.build.os,
    env,
    now: new Date(),
    home: resolveHome(env),
    program: { execPath: Deno.execPath(), mainModule: Deno.mainModule, os: Deno.build.os },
    denoFlags: PERMISSIONS.lane.map((name) => `--allow-${name}`),
    workingDir: Deno.cwd(),
    run: denoRunner,
  };
}

export const service: Sub = {
  summary: "run 'lane tend' as a user service (systemd user unit, launchd agent, logon task)",
  usage: "service install [--print] [-- TEND-FLAGS…] | remove [--dry-run] | status [--json]",
  options: {
    print: flag("install: show the unit/plist/task without writing or loading it"),
    "dry-run": flag("remove: list what would be removed"),
    ...JSON_,
  },
  positionals: Infinity,
  notes: [
    "Linux: memoryoss-lane.service in $XDG_CONFIG_HOME/systemd/user (Restart=on-failure,",
    "wanted by default.target; loaded with systemctl --user). macOS:",
    "~/Library/LaunchAgents/com.memoryoss.lane.plist (KeepAlive; launchctl). Windows: a task",
    "memoryoss\\Lane started at logon (schtasks). The service runs in the current directory, so",
    "its ./.env and default memory root are this directory's. When the scheduler program is",
    "missing, the files are still written (or removed) and the command to run is printed.",
  ],
  examples: [
    "memoryoss lane service install --print",
    "memoryoss lane service install -- --agent none --interval 600",
    "memoryoss lane service status --json",
  ],
  async run(p) {
    const verb = action(p, "service", ["install", "remove", "status"] as const);
    const rest = p.positionals.slice(1);
    if (verb !== "install" && (rest.length || p.values.print)) {
      throw invalid(`lane service ${verb} takes no tend flags and no --print`);
    }
    if (verb !== "remove" && p.values["dry-run"]) {
      throw invalid("--dry-run is for 'service remove'; 'service install --print' shows the file");
    }
    const ctx = await context(p);
    if (verb === "status") {
      const st = await lane.serviceStatus(ctx);
      out(p, st, () =>
        [
          `lane service ${st.installed ? "installed" : "not installed"} (${st.os})`,
          ...st.files.map((f) => `  ${f.path}`),
          `scheduler ${st.scheduler.state} (${st.scheduler.detail})`,
        ].join("\n"));
      return 0;
    }
    const r = verb === "install"
      ? await lane.installService(ctx, tendArgs(rest), p.values.print === true)
      : await lane.removeService(ctx, p.values["dry-run"] === true);
    out(p, r, () => formatJobChange(r, "lane service"));
    return 0;
  },
};
