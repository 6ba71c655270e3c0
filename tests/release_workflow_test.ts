/**
 * The release workflow cannot run on the build machines (no compile runtime download), so this
 * checks that it stays in step with the code it builds: one matrix entry per compile target,
 * the smoke test covers what the release promises, and every file it names exists.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { TARGETS } from "../scripts/compile.ts";

interface Step {
  run?: string;
  uses?: string;
}
interface Job {
  "runs-on": string;
  steps: Step[];
  strategy?: { matrix: { include: { target: string; os: string; exe: string }[] } };
  needs?: string[];
}

const workflow = parse(
  await Deno.readTextFile(new URL("../.github/workflows/release.yml", import.meta.url)),
) as { jobs: Record<string, Job> };

Deno.test("release workflow: one build per compile target, named as the compile script names it", () => {
  const matrix = workflow.jobs.build.strategy!.matrix.include;
  assert.deepEqual(matrix.map((m) => m.target).sort(), Object.keys(TARGETS).sort());
  for (const m of matrix) {
    const exe = TARGETS[m.target] + (m.target.includes("windows") ? ".exe" : "");
    assert.equal(m.exe, exe, `${m.target} artifact name`);
  }
  assert.ok(matrix.some((m) => m.os.startsWith("windows")), "a Windows runner builds Windows");
});

Deno.test("release workflow: the smoke test runs the promised commands on every OS", () => {
  const smoke = workflow.jobs.build.steps.map((s) => s.run ?? "").join("\n");
  for (
    const cmd of [
      "--version",
      " store ",
      " recall ",
      " reader open ",
      " relief --snap",
      " serve ",
      "/ui",
    ]
  ) {
    assert.ok(smoke.includes(cmd), `smoke test runs '${cmd.trim()}'`);
  }
  assert.ok(smoke.includes("deno task compile"), "builds through the compile script");
  assert.deepEqual(workflow.jobs.release.needs?.sort(), ["build", "windows-ffi"]);
});

Deno.test("release workflow: every file it names exists", async () => {
  const text = JSON.stringify(workflow);
  const paths = new Set(text.match(/(?:tests|conformance|ffi|lib|cli)\/[\w./-]+\.(?:ts|json)/g));
  assert.ok(paths.size >= 5, "the workflow names test files");
  for (const p of paths) await Deno.stat(new URL(`../${p}`, import.meta.url));
  assert.equal(workflow.jobs["windows-ffi"]["runs-on"], "windows-latest");
});
