/**
 * Running the scheduler's own programs (`systemctl`, `launchctl`, `schtasks`) for an installed
 * job: load, unload, and ask whether it is loaded. A missing program is reported, never fatal:
 * the files are written either way and the commands can be run by hand.
 *
 * @module
 */
import type { JobSpec } from "./render.ts";

/** How one scheduler command ended. */
export interface StepResult {
  command: string[];
  /** ran: exit 0; failed: non-zero exit; missing: the program is not on the PATH. */
  outcome: "ran" | "failed" | "missing";
  code: number | null;
  message: string;
}

/** Runs one argv; throws Deno.errors.NotFound when the program does not exist. */
export type Runner = (argv: string[]) => Promise<{ code: number; output: string }>;

/** The real runner (needs the `run` permission). */
export const denoRunner: Runner = async (argv) => {
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stderr) || new TextDecoder().decode(out.stdout);
  return { code: out.code, output: text.trim().slice(0, 500) };
};

/**
 * Run scheduler commands in order; stops at the first that is missing or fails. A sandbox
 * refusal (`NotCapable`) is thrown.
 *
 * @example
 * ```ts
 * await runSteps(denoRunner, [["systemctl", "--user", "daemon-reload"]]);
 * ```
 */
export async function runSteps(run: Runner, steps: string[][]): Promise<StepResult[]> {
  const out: StepResult[] = [];
  for (const command of steps) {
    try {
      const r = await run(command);
      const ok = r.code === 0;
      out.push({
        command,
        outcome: ok ? "ran" : "failed",
        code: r.code,
        message: ok ? "ok" : `${command[0]} exited ${r.code}${r.output ? `: ${r.output}` : ""}`,
      });
      if (!ok) break;
    } catch (e) {
      // A refusal by Deno's sandbox is the command's permission set, not the scheduler: it is
      // reported as the one-line "permission denied" error, never as a failed step.
      if (e instanceof Deno.errors.NotCapable) throw e;
      const missing = e instanceof Deno.errors.NotFound;
      out.push({
        command,
        outcome: missing ? "missing" : "failed",
        code: null,
        message: missing
          ? `${command[0]} not found on PATH`
          : `${command[0]} could not run: ${(e as Error).message}`,
      });
      break;
    }
  }
  return out;
}

/** What the scheduler says about a job. */
export interface SchedulerState {
  state: "active" | "inactive" | "unknown";
  detail: string;
}

/**
 * Ask the scheduler whether `job` is loaded (never throws). `unitSuffix` is `.timer` for a
 * periodic systemd job and `.service` for a keep-alive one.
 *
 * @example
 * ```ts
 * await jobState(denoRunner, "linux", job); // { state: "active", detail: "systemctl: loaded" }
 * ```
 */
export async function jobState(run: Runner, os: string, job: JobSpec): Promise<SchedulerState> {
  const argv = os === "linux"
    ? ["systemctl", "--user", "is-active", `${job.unit}${job.keepAlive ? ".service" : ".timer"}`]
    : os === "darwin"
    ? ["launchctl", "list", job.label]
    : ["schtasks", "/Query", "/TN", job.taskName];
  const [step] = await runSteps(run, [argv]);
  if (step.outcome === "missing") return { state: "unknown", detail: step.message };
  return step.outcome === "ran"
    ? { state: "active", detail: `${argv[0]}: loaded` }
    : { state: "inactive", detail: step.message };
}
