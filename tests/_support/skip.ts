/**
 * Honest skips: a test that cannot run on this host is ignored (counted by Deno, never a silent
 * pass) and says why in its name, so the `... ignored` line Deno prints carries the reason.
 * `.ci/run` fails when a test outside `.ci/allowed-ignores` is ignored on CI.
 */

/** Deno.test options for `name`: ignored with the reason in its name when `reason` is set. */
export function skipIf(
  reason: string | null | false | undefined,
  name: string,
): { name: string; ignore: boolean } {
  return reason ? { name: `${name} (skipped: ${reason})`, ignore: true } : { name, ignore: false };
}

/** The reason a test that needs `os` cannot run here, or null on that OS. */
export function onlyOn(os: typeof Deno.build.os, why = `${os} only`): string | null {
  return Deno.build.os === os ? null : why;
}

/** True when `cmd` runs here (it is on PATH and starts); `args` should make it exit quickly. */
export async function hasCommand(cmd: string, args = ["--version"]): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}
