/**
 * The two lock files (README, "Two commands on a fresh machine"): `deno task` installs every
 * package `deno.lock` records before any task runs, so deno.lock holds the runtime's packages
 * only and a fresh `deno task start` installs nothing else. The tests and scripts import their
 * own packages with full `npm:` specifiers and resolve through deno.dev.lock.
 */
import assert from "node:assert/strict";

type Lock = {
  specifiers: Record<string, string>;
  npm: Record<string, { dependencies?: string[]; optionalDependencies?: string[] }>;
  workspace: { dependencies: string[] };
};

const ROOT = new URL("../", import.meta.url);
const readJson = async (p: string) => JSON.parse(await Deno.readTextFile(new URL(p, ROOT)));
const runtimeLock: Lock = await readJson("deno.lock");
const devLock: Lock = await readJson("deno.dev.lock");

/** "npm:/@scope/name@1.2.3/" or "npm:@scope/name@1.2.3/sub/path" -> "npm:@scope/name@1.2.3". */
function packageSpec(s: string): string {
  const m = s.match(/^npm:\/?((?:@[^/]+\/)?[^/@]+@[^/]+)/);
  assert.ok(m, `not a pinned npm specifier: ${s}`);
  return `npm:${m[1]}`;
}

/** The import map's npm packages: what the runtime imports. */
async function importMapPackages(): Promise<Set<string>> {
  const { imports } = await readJson("deno.json") as { imports: Record<string, string> };
  return new Set(Object.values(imports).filter((v) => v.startsWith("npm:")).map(packageSpec));
}

/** Packages imported with full `npm:` specifiers from tests/ and scripts/. */
async function ownImports(): Promise<Set<string>> {
  const found = new Set<string>();
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(new URL(dir, ROOT))) {
      if (e.isDirectory && `${dir}${e.name}` !== "tests/fixtures") await walk(`${dir}${e.name}/`);
      else if (e.isFile && e.name.endsWith(".ts")) {
        const src = await Deno.readTextFile(new URL(`${dir}${e.name}`, ROOT));
        for (const m of src.matchAll(/(?:from|import|import\()\s*["'](npm:[^"']+)["']/g)) {
          found.add(packageSpec(m[1]));
        }
      }
    }
  };
  await walk("tests/");
  await walk("scripts/");
  return found;
}

/** The lock's npm entries reachable from its specifiers (dependencies by name or name@version). */
function reachable(lock: Lock): Set<string> {
  const keys = Object.keys(lock.npm);
  const nameOf = (k: string) => k.slice(0, k.indexOf("@", 1));
  const entry = (dep: string) => {
    const hit = dep.indexOf("@", 1) > 0
      ? keys.filter((k) => k === dep || k.startsWith(`${dep}_`))
      : keys.filter((k) => nameOf(k) === dep);
    assert.equal(hit.length, 1, `dependency '${dep}' names one lock entry: ${hit.join(", ")}`);
    return hit[0];
  };
  const seen = new Set<string>();
  const todo = Object.entries(lock.specifiers).map(([s, v]) => `${nameOf(s.slice(4))}@${v}`);
  for (let k = todo.pop(); k !== undefined; k = todo.pop()) {
    if (seen.has(k)) continue;
    seen.add(k);
    assert.ok(lock.npm[k], `lock entry ${k}`);
    const e = lock.npm[k];
    for (const d of [...e.dependencies ?? [], ...e.optionalDependencies ?? []]) todo.push(entry(d));
  }
  return seen;
}

Deno.test("deno.lock records exactly the import map's packages", async () => {
  const runtime = [...await importMapPackages()].sort();
  assert.deepEqual(Object.keys(runtimeLock.specifiers).sort(), runtime);
  assert.deepEqual([...runtimeLock.workspace.dependencies].sort(), runtime);
});

Deno.test("deno.lock holds no package that only the tests or scripts import", async () => {
  const runtime = await importMapPackages();
  const own = [...await ownImports()].filter((s) => !runtime.has(s));
  assert.ok(own.length > 0, "tests/ and scripts/ import packages of their own");
  for (const s of own) {
    const hint = "belongs in deno.dev.lock: run tests and scripts with --lock=deno.dev.lock";
    assert.ok(!(s in runtimeLock.specifiers), `${s}, imported only by tests/ or scripts/, ${hint}`);
  }
  const extra = Object.keys(runtimeLock.npm).filter((k) => !reachable(runtimeLock).has(k));
  assert.deepEqual(extra, [], "deno.lock entries the runtime's packages do not depend on");
});

Deno.test("deno.dev.lock pins the tests' own packages and the runtime's exact versions", async () => {
  for (const s of await ownImports()) assert.ok(s in devLock.specifiers, `deno.dev.lock has ${s}`);
  for (const [s, v] of Object.entries(runtimeLock.specifiers)) {
    assert.equal(devLock.specifiers[s], v, `deno.dev.lock resolves ${s} as deno.lock does`);
  }
  for (const [k, e] of Object.entries(runtimeLock.npm)) {
    assert.deepEqual(devLock.npm[k], e, `deno.dev.lock has ${k} as deno.lock does`);
  }
});
