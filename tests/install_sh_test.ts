/**
 * install.sh against a fake release served on loopback: a small shell script stands in for the
 * binary, with its `.sha256` written as scripts/compile.ts writes it ("<hex>  <name>\n"). The
 * release file names come from the release workflow's matrix; the checksums from WebCrypto.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { hasCommand, skipIf } from "./_support/skip.ts";

const SCRIPT = new URL("../install.sh", import.meta.url).pathname;
const enc = new TextEncoder();
const FAKE = enc.encode('#!/bin/sh\necho "memoryoss 9.9.9-fake"\n');
const TAMPERED = enc.encode('#!/bin/sh\necho "memoryoss 6.6.6-evil"\n');

const workflow = parse(
  await Deno.readTextFile(new URL("../.github/workflows/release.yml", import.meta.url)),
) as { jobs: { build: { strategy: { matrix: { include: { exe: string }[] } } } } };
const RELEASE_FILES = workflow.jobs.build.strategy.matrix.include.map((m) => m.exe);

const downloader = await hasCommand("curl") ? "curl" : await hasCommand("wget") ? "wget" : null;
const noDownloader = downloader ? null : "neither curl nor wget on this host";

async function sha256Line(bytes: Uint8Array<ArrayBuffer>, name: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `${Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("")}  ${name}\n`;
}

/** A release folder on 127.0.0.1:0; `files` maps a file name to its body (absent = 404). */
function fakeRelease(files: Map<string, Uint8Array<ArrayBuffer>>) {
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const name = new URL(req.url).pathname.slice(1);
    requests.push(name);
    const body = files.get(name);
    return body ? new Response(body) : new Response("not found", { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/releases/v9`,
    requests,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** `files` for one release binary with its correct checksum file. */
async function releaseOf(
  name: string,
  bytes = FAKE,
): Promise<Map<string, Uint8Array<ArrayBuffer>>> {
  return new Map([
    [`releases/v9/${name}`, bytes],
    [`releases/v9/${name}.sha256`, enc.encode(await sha256Line(bytes, name))],
  ]);
}

async function install(env: Record<string, string>, args: string[] = []) {
  const out = await new Deno.Command("sh", {
    args: [SCRIPT, ...args],
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function tempHome() {
  const home = await Deno.makeTempDir({ prefix: "memoryoss-install-" });
  return { home, [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }) };
}

const LINUX_X64 = { MEMORYOSS_INSTALL_OS: "Linux", MEMORYOSS_INSTALL_ARCH: "x86_64" };

Deno.test(
  skipIf(noDownloader, "install.sh: installs the verified binary into a new folder, 0755"),
  async () => {
    await using t = await tempHome();
    await using rel = fakeRelease(await releaseOf("memoryoss-linux-x64"));
    const dir = `${t.home}/not/yet/bin`;
    const r = await install({
      ...LINUX_X64,
      HOME: t.home,
      MEMORYOSS_INSTALL_BASE_URL: rel.url,
      MEMORYOSS_INSTALL_DIR: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(rel.requests, [
      "releases/v9/memoryoss-linux-x64",
      "releases/v9/memoryoss-linux-x64.sha256",
    ]);
    assert.deepEqual(await Deno.readFile(`${dir}/memoryoss`), FAKE);
    assert.equal((await Deno.stat(`${dir}/memoryoss`)).mode! & 0o777, 0o755);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["memoryoss"]);
    assert.match(r.stdout, /memoryoss 9\.9\.9-fake/, "the installed binary runs");
    assert.ok(r.stdout.includes(`export PATH="${dir}:$PATH"`), r.stdout);
  },
);

Deno.test(
  skipIf(noDownloader, "install.sh: the default folder is ~/.local/bin, no PATH hint when on it"),
  async () => {
    await using t = await tempHome();
    await using rel = fakeRelease(await releaseOf("memoryoss-linux-x64"));
    const dir = `${t.home}/.local/bin`;
    const r = await install({
      ...LINUX_X64,
      HOME: t.home,
      PATH: `${dir}:${Deno.env.get("PATH")}`,
      MEMORYOSS_INSTALL_BASE_URL: `${rel.url}/`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await Deno.readFile(`${dir}/memoryoss`), FAKE);
    assert.ok(!r.stdout.includes("export PATH"), r.stdout);
  },
);

Deno.test(
  skipIf(noDownloader, "install.sh: a binary with the wrong checksum is refused, old one kept"),
  async () => {
    await using t = await tempHome();
    const files = await releaseOf("memoryoss-linux-x64");
    await using rel = fakeRelease(files);
    const env = {
      ...LINUX_X64,
      HOME: t.home,
      MEMORYOSS_INSTALL_BASE_URL: rel.url,
      MEMORYOSS_INSTALL_DIR: t.home,
    };
    assert.equal((await install(env)).code, 0);
    files.set("releases/v9/memoryoss-linux-x64", TAMPERED); // .sha256 still names FAKE
    const r = await install(env);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /checksum/);
    assert.deepEqual(await Deno.readFile(`${t.home}/memoryoss`), FAKE);
    assert.deepEqual([...Deno.readDirSync(t.home)].map((e) => e.name), ["memoryoss"]);

    files.set("releases/v9/memoryoss-linux-x64.sha256", enc.encode("<html>oops</html>\n"));
    const bad = await install(env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /checksum file .* malformed/);
    assert.deepEqual(await Deno.readFile(`${t.home}/memoryoss`), FAKE);
  },
);

Deno.test(
  skipIf(noDownloader, "install.sh: a missing release file fails clearly, nothing installed"),
  async () => {
    await using t = await tempHome();
    await using rel = fakeRelease(new Map());
    const r = await install({
      ...LINUX_X64,
      HOME: t.home,
      MEMORYOSS_INSTALL_BASE_URL: rel.url,
      MEMORYOSS_INSTALL_DIR: `${t.home}/bin`,
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /download failed: .*memoryoss-linux-x64/);
    await assert.rejects(Deno.stat(`${t.home}/bin/memoryoss`), Deno.errors.NotFound);
  },
);

Deno.test(
  skipIf(noDownloader, "install.sh: each OS/arch fetches the workflow's file for it"),
  async () => {
    const cases: [string, string, string][] = [
      ["Linux", "aarch64", "memoryoss-linux-arm64"],
      ["Linux", "amd64", "memoryoss-linux-x64"],
      ["Darwin", "x86_64", "memoryoss-darwin-x64"],
      ["Darwin", "arm64", "memoryoss-darwin-arm64"],
    ];
    for (const [os, arch, name] of cases) {
      assert.ok(RELEASE_FILES.includes(name), `${name} is built by the release workflow`);
      await using t = await tempHome();
      await using rel = fakeRelease(await releaseOf(name));
      const r = await install({
        MEMORYOSS_INSTALL_OS: os,
        MEMORYOSS_INSTALL_ARCH: arch,
        HOME: t.home,
        MEMORYOSS_INSTALL_BASE_URL: rel.url,
      });
      assert.equal(r.code, 0, `${os}/${arch}: ${r.stderr}`);
      assert.equal(rel.requests[0], `releases/v9/${name}`);
      assert.deepEqual(await Deno.readFile(`${t.home}/.local/bin/memoryoss`), FAKE);
    }
  },
);

Deno.test("install.sh: unsupported platforms are refused before any download", async () => {
  await using t = await tempHome();
  await using rel = fakeRelease(await releaseOf("memoryoss-linux-x64"));
  const base = { HOME: t.home, MEMORYOSS_INSTALL_BASE_URL: rel.url };
  const arch = await install({
    ...base,
    MEMORYOSS_INSTALL_OS: "Linux",
    MEMORYOSS_INSTALL_ARCH: "riscv64",
  });
  assert.equal(arch.code, 3);
  assert.match(arch.stderr, /unsupported architecture 'riscv64'/);
  const os = await install({
    ...base,
    MEMORYOSS_INSTALL_OS: "FreeBSD",
    MEMORYOSS_INSTALL_ARCH: "amd64",
  });
  assert.equal(os.code, 3);
  assert.match(os.stderr, /unsupported OS 'FreeBSD'/);
  const win = await install({
    ...base,
    MEMORYOSS_INSTALL_OS: "MINGW64_NT-10.0",
    MEMORYOSS_INSTALL_ARCH: "x86_64",
  });
  assert.equal(win.code, 3);
  assert.ok(RELEASE_FILES.includes("memoryoss-windows-x64.exe"));
  assert.match(win.stderr, /memoryoss-windows-x64\.exe/);
  assert.deepEqual(rel.requests, []);
  await assert.rejects(Deno.stat(`${t.home}/.local`), Deno.errors.NotFound);
});

Deno.test("install.sh: --help shows usage with an example; bad input exits 3", async () => {
  const help = await install({}, ["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: install\.sh/);
  assert.match(help.stdout, /curl -fsSL \S+\/install\.sh \| sh/);
  assert.match(help.stdout, /MEMORYOSS_INSTALL_ARCH/);
  const bad = await install({}, ["--frobnicate"]);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /unknown argument '--frobnicate'/);
  const tag = await install({ ...LINUX_X64, HOME: "/nonexistent", MEMORYOSS_VERSION: "v1/../x" });
  assert.equal(tag.code, 3);
  assert.match(tag.stderr, /not a release tag/);
});

for (const tool of ["curl", "wget"]) {
  const missing = await hasCommand(tool) ? null : `${tool} is not on this host`;
  Deno.test(skipIf(missing, `install.sh: downloads with ${tool} when asked to`), async () => {
    await using t = await tempHome();
    await using rel = fakeRelease(await releaseOf("memoryoss-linux-x64"));
    const r = await install({
      ...LINUX_X64,
      HOME: t.home,
      MEMORYOSS_INSTALL_BASE_URL: rel.url,
      MEMORYOSS_INSTALL_DOWNLOADER: tool,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rel.requests.length, 2);
    assert.deepEqual(await Deno.readFile(`${t.home}/.local/bin/memoryoss`), FAKE);
  });
}
