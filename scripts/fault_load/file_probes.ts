/**
 * Probes of files on disk: crafted restore archives (path traversal, absolute names,
 * symlinks, hardlinks; built by Python's tarfile, not our writer) must be refused with one
 * line and write nothing outside the target; an `encryption rotate` SIGKILLed midway must
 * finish on the next run with every memory readable.
 */
import { join } from "node:path";
import { cmd, cmdJson, type ProbeResult, spawnCmd, tempDir } from "./_proc.ts";

/** Sizes of the file probes. */
export interface FileSize {
  rotateMemories: number;
}

/**
 * Python that writes one archive per attack into argv[1]; the sandbox is argv[2]. Each has a
 * manifest listing its entries with their true sizes and hashes, so only the restore's own
 * path and type checks stand between the archive and the disk.
 */
const CRAFT = String.raw`
import hashlib, io, json, sys, tarfile
out, box = sys.argv[1], sys.argv[2]
def build(name, entries):
    files = []
    with tarfile.open(f"{out}/{name}.tar.gz", "w:gz", format=tarfile.GNU_FORMAT) as t:
        for path, kind, data in entries:
            info = tarfile.TarInfo(path)
            info.mode = 0o644
            body = None
            if kind == "file":
                body = data.encode()
                info.size = len(body)
            elif kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, data
            elif kind == "hardlink":
                info.type, info.linkname = tarfile.LNKTYPE, data
            t.addfile(info, io.BytesIO(body) if body is not None else None)
            raw = body or b""
            files.append({"path": path, "size": len(raw), "sha256": hashlib.sha256(raw).hexdigest(), "mode": 0o644})
        m = {"format": "memoryoss.backup.v1", "created_at": "2030-01-01T00:00:00Z",
             "memoryoss_version": "0.1.0", "source_home": "/x", "key_included": False,
             "db": None, "schema_version": None, "memory_count": None, "files": files}
        body = (json.dumps(m) + "\n").encode()
        info = tarfile.TarInfo("backup-manifest.json")
        info.size = len(body)
        t.addfile(info, io.BytesIO(body))
build("dotdot", [("data/memoryoss.toml", "file", "# ok\n"),
                 ("data/../escape-dotdot.txt", "file", "pwned\n"),
                 ("../escape-parent.txt", "file", "pwned\n")])
build("absolute", [("data/memoryoss.toml", "file", "# ok\n"),
                   (f"{box}/escape-abs.txt", "file", "pwned\n")])
build("symlink", [("data/link", "symlink", f"{box}/outside"),
                  ("data/link/pwned.txt", "file", "pwned\n")])
build("hardlink", [("data/hard", "hardlink", f"{box}/victim.txt"),
                   ("data/hard", "file", "pwned\n")])
`;

/** Every path under `dir` (but `skip`) with its kind, size and link target: a fingerprint. */
async function tree(dir: string, skip: Set<string>): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (skip.has(p)) continue;
      const st = await Deno.lstat(p);
      const link = e.isSymlink ? ` -> ${await Deno.readLink(p)}` : "";
      const body = e.isFile ? ` ${await Deno.readTextFile(p)}` : "";
      out.push(`${p} ${e.isDirectory ? "d" : e.isSymlink ? "l" : "f"} ${st.size}${link}${body}`);
      if (e.isDirectory) await walk(p);
    }
  }
  await walk(dir);
  return out.sort();
}

async function hasPython(): Promise<boolean> {
  try {
    return (await new Deno.Command("python3", { args: ["-c", "import tarfile"] }).output())
      .success;
  } catch {
    return false;
  }
}

/**
 * (e) Restore each crafted archive into a fresh target and, with --force, over a kept one:
 * exit 3, one line on stderr, the sandbox around the target unchanged, the kept target too.
 */
export async function restoreCrafted(): Promise<ProbeResult> {
  if (!(await hasPython())) {
    return { ok: true, line: "restore-crafted: skipped (python3 not found)" };
  }
  await using box = await tempDir("crafted");
  const archives = join(box.path, "archives");
  await Deno.mkdir(archives);
  await Deno.mkdir(join(box.path, "outside"));
  await Deno.writeTextFile(join(box.path, "victim.txt"), "original\n");
  const py = await new Deno.Command("python3", {
    args: ["-c", CRAFT, archives, box.path],
    stderr: "piped",
  }).output();
  if (!py.success) throw new Error(new TextDecoder().decode(py.stderr));
  const fresh = join(box.path, "fresh");
  const kept = join(box.path, "kept");
  await Deno.mkdir(kept);
  await Deno.writeTextFile(join(kept, "memoryoss.toml"), "# kept\n");
  const skip = new Set([archives, fresh]);
  const before = await tree(box.path, skip);
  const names = ["dotdot", "absolute", "symlink", "hardlink"];
  let refused = 0;
  let attempts = 0;
  for (const name of names) {
    for (const [target, extra] of [[fresh, []], [kept, ["--force"]]] as const) {
      attempts++;
      const r = await cmd(box.path, [
        "restore",
        join(archives, `${name}.tar.gz`),
        ...extra,
        "--home",
        target,
      ]);
      const oneLine = r.stderr.trim().split("\n").length === 1;
      if (r.code === 3 && oneLine && /not a valid memoryoss backup/.test(r.stderr)) refused++;
      else {console.error(
          `restore-crafted: ${name} ${extra.join(" ")}: exit ${r.code}: ${r.stderr}`,
        );}
    }
  }
  const after = await tree(box.path, skip);
  const changed = after.filter((l) => !before.includes(l)).length +
    before.filter((l) => !after.includes(l)).length;
  const freshMade = await Deno.lstat(fresh).then(() => true, () => false);
  return {
    ok: refused === attempts && changed === 0 && !freshMade,
    line: `restore-crafted: ${names.length} archives (${names.join(", ")}) × fresh and --force ` +
      `targets, ${refused}/${attempts} refused with exit 3, ${changed} paths changed outside ` +
      `the target${freshMade ? ", fresh target created" : ""}`,
  };
}

/**
 * (f) `encryption rotate` SIGKILLed once half the rows are re-wrapped; the next `rotate`
 * finishes that rotation (no third key) and every memory reads back unchanged.
 */
export async function rotateKill(size: FileSize): Promise<ProbeResult> {
  await using home = await tempDir("rotate");
  const facts = Array.from(
    { length: size.rotateMemories },
    (_, i) => `rotation fact ${i}: the ${i}th wombat owns service svc-${i}`,
  );
  const file = join(home.path, "facts.jsonl");
  await Deno.writeTextFile(file, facts.map((content) => JSON.stringify({ content })).join("\n"));
  const imp = await cmdJson(home.path, ["import", "-n", "rot", "--file", file, "--json"]);
  if (imp.created !== facts.length) throw new Error(`import created ${imp.created}`);
  const child = spawnCmd(
    home.path,
    ["encryption", "rotate", "--batch", "5", "--throttle-ms", "20"],
    {
      stdout: "null",
    },
  );
  let seen = "";
  let at = "";
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
    const m = [...seen.matchAll(/rotate: (\d+)\/(\d+)/g)].pop();
    if (m && Number(m[1]) * 2 >= Number(m[2])) {
      at = `${m[1]}/${m[2]}`;
      child.kill("SIGKILL");
      break;
    }
  }
  await reader.cancel().catch(() => {});
  const killed = (await child.status).signal === "SIGKILL";
  const mid = await cmdJson(home.path, ["encryption", "status", "--json"]);
  const again = await cmd(home.path, ["encryption", "rotate", "--json"]);
  const r = again.code === 0 ? JSON.parse(again.stdout) : null;
  const done = await cmdJson(home.path, ["encryption", "status", "--json"]);
  const exported = await cmdJson(home.path, ["export", "--namespace", "rot"]);
  const back = new Set((exported.memories as { content: string }[]).map((m) => m.content));
  const readBack = facts.filter((f) => back.has(f)).length;
  const ok = killed && mid.rotation_pending === true && r?.resumed === true &&
    done.rotation_pending === false && done.totals?.encrypted === facts.length &&
    readBack === facts.length && r?.active_kid === mid.active_kid;
  return {
    ok,
    line: `rotate-kill: ${facts.length} memories, rotate SIGKILLed at ${at || "(not killed)"}, ` +
      `rerun ${r?.resumed ? "finished it" : `did not resume (exit ${again.code})`}, ` +
      `${readBack}/${facts.length} read back, ${facts.length - readBack} lost`,
  };
}
