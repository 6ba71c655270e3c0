/**
 * The Dockerfile cannot be built on the build machines (no docker), so this checks its shape:
 * it copies only files that exist or that the release workflow produces, runs as a non-root
 * user with its data on a volume, and its HEALTHCHECK command really answers against `serve`.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { hasCommand, skipIf } from "./_support/skip.ts";
import { spawnServe } from "./server/_api_support.ts";

interface Instr {
  op: string;
  args: string;
}

/** Instructions in order: comments dropped, `\` continuations joined. */
function instructions(text: string): Instr[] {
  const joined = text.split("\n").filter((l) => !/^\s*#/.test(l)).join("\n")
    .replace(/\\\n/g, " ");
  return joined.split("\n").map((l) => l.trim()).filter(Boolean).map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op.toUpperCase(), args: rest.join(" ") };
  });
}

const text = await Deno.readTextFile(new URL("../Dockerfile", import.meta.url));
const ins = instructions(text);
const all = (op: string) => ins.filter((i) => i.op === op).map((i) => i.args);
const one = (op: string) => {
  const found = all(op);
  assert.equal(found.length, 1, `exactly one ${op}`);
  return found[0];
};
const args = Object.fromEntries(
  all("ARG").flatMap((a) => a.includes("=") ? [a.split("=", 2) as [string, string]] : []),
);
const expand = (s: string) => s.replace(/\$\{(\w+)\}/g, (_, k) => args[k] ?? `<unset ${k}>`);

const workflow = parse(
  await Deno.readTextFile(new URL("../.github/workflows/release.yml", import.meta.url)),
) as {
  jobs: {
    build: {
      strategy: { matrix: { include: { exe: string }[] } };
      steps: { run?: string; with?: { path?: string } }[];
    };
  };
};
const build = workflow.jobs.build;

Deno.test("Dockerfile: copies only repo files or the workflow's linux binaries in dist/", async () => {
  // The workflow compiles into dist/ and uploads dist/ as the release files.
  assert.ok(build.steps.some((s) => s.run?.includes("--out dist")), "workflow builds into dist/");
  assert.ok(build.steps.some((s) => s.with?.path === "dist/"), "workflow ships dist/");
  const produced = build.strategy.matrix.include.map((m) => m.exe)
    .filter((e) => e.startsWith("memoryoss-linux-"))
    .flatMap((e) => [`dist/${e}`, `dist/${e}.sha256`]);
  assert.ok(produced.includes("dist/memoryoss-linux-x64"));
  const copies = all("COPY").filter((c) => !c.startsWith("--from="));
  assert.ok(copies.length >= 1, "the binary is copied in");
  const sources = copies.flatMap((c) =>
    expand(c).split(/\s+/).filter((w) => !w.startsWith("--")).slice(0, -1)
  );
  assert.ok(sources.includes("dist/memoryoss-linux-x64"), `copies the x64 binary: ${sources}`);
  for (const src of sources) {
    if (produced.includes(src)) continue;
    await Deno.stat(new URL(`../${src}`, import.meta.url)); // else it must exist in the repo
  }
});

Deno.test("Dockerfile: slim base, non-root user, data on a volume, port and command", () => {
  const bases = all("FROM").map((f) => f.split(/\s+/)[0]);
  for (const b of bases) {
    assert.ok(["debian:bookworm-slim", "gcr.io/distroless/cc-debian12"].includes(b), b);
  }
  const user = one("USER").split(":")[0];
  assert.ok(!["root", "0", ""].includes(user), `runs as non-root, got '${user}'`);
  assert.ok(all("RUN").some((r) => r.includes(`useradd`) && r.includes(user)), "user is created");
  assert.match(one("VOLUME"), /"\/data"/);
  assert.ok(all("ENV").some((e) => /(^|\s)MEMORYOSS_HOME=\/data(\s|$)/.test(e)));
  assert.equal(one("EXPOSE"), "8000");
  assert.deepEqual(JSON.parse(one("ENTRYPOINT")), ["memoryoss"]);
  const cmd = JSON.parse(one("CMD")) as string[];
  assert.deepEqual(cmd.slice(0, 3), ["serve", "--host", "0.0.0.0"]);
  assert.equal(cmd[cmd.indexOf("--port") + 1] ?? "8000", "8000");
  assert.match(text, /WARNING: --host 0\.0\.0\.0[\s\S]*API key/, "warns about the open bind");
  const uid = /--uid (\d+)/.exec(all("RUN").join(" "))?.[1];
  assert.ok(uid && Number(uid) > 0);
});

/** The HEALTHCHECK's exec-form command. */
function healthCommand(): string[] {
  const h = one("HEALTHCHECK");
  const m = /\bCMD\s+(\[.*\])$/.exec(h);
  assert.ok(m, `HEALTHCHECK uses the exec form: ${h}`);
  return JSON.parse(m[1]);
}

const noBash = await hasCommand("bash") ? null : "bash is not on this host";

Deno.test(
  skipIf(noBash, "Dockerfile: the HEALTHCHECK command passes against serve, fails when down"),
  async () => {
    const cmd = healthCommand();
    assert.ok(cmd.join(" ").includes("/health") && cmd.join(" ").includes("8000"));
    const run = async (port: string) =>
      (await new Deno.Command(cmd[0], {
        args: cmd.slice(1).map((a) => a.replace("/8000", `/${port}`)),
        stdout: "null",
        stderr: "null",
      }).output()).code;
    const home = await Deno.makeTempDir({ prefix: "memoryoss-docker-" });
    try {
      const child = await spawnServe(home);
      const port = new URL(child.url).port;
      try {
        assert.equal(await run(port), 0, "healthy while serve runs");
      } finally {
        await child.kill("SIGTERM");
      }
      assert.notEqual(await run(port), 0, "unhealthy once serve stopped");
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
);
