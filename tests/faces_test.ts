/**
 * Each lib/ folder's only face is its `mod.ts` (docs/architecture.md, "lib/ folders"):
 * - no `export *` (nor `export * as x`) anywhere in lib/: every re-export names what it hands on;
 * - a file in lib/, cli/ or adapters/ reaches another lib/ folder only through that folder's
 *   `mod.ts` (or the one-file module `lib/version.ts`), except the start-up and permission
 *   exceptions docs/architecture.md names, listed below. The list only shrinks: an entry no
 *   longer used fails the test too. (scripts/ build the embedded assets from lib/'s parts and
 *   are not checked.)
 *
 * - every name a lib/ folder's `mod.ts` exports is used outside that folder (lib/, cli/,
 *   adapters/, scripts/, tests/, main.ts, bundle_entry.ts): a face holds what others use and
 *   nothing else.
 *
 * Imports are read with the TypeScript parser: static imports, re-exports, `import("…")` with a
 * literal specifier, `import("…").Name` types, and `ns.Name` after `import * as ns`.
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
// Test-only: a full npm: specifier keeps typescript out of the runtime import map.
// deno-lint-ignore no-import-prefix
import ts from "npm:typescript@5.9.3";

const ROOT = new URL("../", import.meta.url).pathname;

/** Every `export *` / `export * as x` in `text`, as `file:line`. */
function exportStars(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return sf.statements
    .filter((s) =>
      ts.isExportDeclaration(s) && (!s.exportClause || ts.isNamespaceExport(s.exportClause))
    )
    .map((s) => `${file}:${sf.getLineAndCharacterOfPosition(s.getStart(sf)).line + 1}`);
}

/** The relative module specifiers `text` imports, re-exports or loads with `import("…")`. */
function specifiers(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if (
      (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier &&
      ts.isStringLiteral(n.moduleSpecifier)
    ) out.push(n.moduleSpecifier.text);
    else if (
      ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword &&
      n.arguments.length > 0 && ts.isStringLiteral(n.arguments[0])
    ) out.push(n.arguments[0].text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out.filter((s) => s.startsWith("."));
}

/**
 * The imports of `file` (repo-relative) that enter another lib/ folder past its face, as
 * `file -> target`.
 */
function pastTheFace(file: string, text: string): string[] {
  const own = file.startsWith("lib/") ? file.split("/")[1] : null;
  return specifiers(file, text).flatMap((spec) => {
    const target = relative(ROOT, join(ROOT, dirname(file), spec));
    const parts = target.split("/");
    if (parts[0] !== "lib" || parts.length < 3 || parts[1] === own) return [];
    return parts.length === 3 && parts[2] === "mod.ts" ? [] : [`${file} -> ${target}`];
  });
}

/** Imports past a face that docs/architecture.md names; the list only shrinks. */
const ALLOWED_PAST_FACE = new Set([
  // start-up: hot commands skip barrels that would load zod, the engine or lib/llm
  "cli/recall.ts -> lib/config/load.ts",
  "cli/recall.ts -> lib/memory/runtime.ts",
  "cli/recall.ts -> lib/memory/recall.ts",
  "cli/store.ts -> lib/config/load.ts",
  "cli/store.ts -> lib/memory/runtime.ts",
  "cli/store.ts -> lib/memory/store_plain.ts",
  "cli/store.ts -> lib/memory/write.ts",
  "cli/remember.ts -> lib/config/load.ts",
  "cli/remember.ts -> lib/memory/remember_queue.ts",
  // remember: the store's leaves it runs (its barrel evaluates every SQL module and the engine)
  "cli/remember.ts -> lib/store/store.ts",
  "cli/remember.ts -> lib/store/sealed.ts",
  "lib/memory/remember_queue.ts -> lib/store/record.ts",
  "lib/memory/remember_queue.ts -> lib/store/queue_sql.ts",
  // remember seals its payload through WebCrypto before the transaction (no node:crypto)
  "lib/memory/remember_queue.ts -> lib/store/sealed.ts",
  "lib/memory/store_plain.ts -> lib/store/record.ts",
  "lib/memory/input_checks.ts -> lib/store/safe_metadata.ts",
  "lib/scheduler/run.ts -> lib/store/scheduler_sql.ts",
  "lib/namespace/mod.ts -> lib/config/home.ts",
  "lib/namespace/mod.ts -> lib/config/load.ts",
  "lib/memory/recall.ts -> lib/graph/expand.ts",
  "lib/memory/import_links.ts -> lib/graph/build.ts",
  "lib/memory/write.ts -> lib/graph/build.ts",
  "lib/memory/write.ts -> lib/graph/relink.ts",
  "lib/embed/remote.ts -> lib/config/redact.ts",
  "lib/embed/remote.ts -> lib/config/fetch.ts",
  // the keyless guard's reader (only node:sqlite) on every command's start-up path
  "lib/config/load.ts -> lib/store/dbfile_sql.ts",
  // the server holds no ffi: the dashboard reads relief's files through its ffi-free reader
  "lib/ui/relief.ts -> lib/relief/read.ts",
  // lib/store/postgres has its own face, loaded only through cli/_postgres.ts (migrate, doctor)
  "cli/_postgres.ts -> lib/store/postgres/mod.ts",
  // start-up: store's and remember's content reader decodes UTF-8 without the memory barrel
  "cli/_content.ts -> lib/memory/input_checks.ts",
]);

/** The names `face` (a repo-relative mod.ts) exports, from its source. */
function exportedNames(face: string, text: string): string[] {
  const sf = ts.createSourceFile(face, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return sf.statements.flatMap((st): string[] => {
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      return st.exportClause.elements.map((e) => e.name.text);
    }
    const exported = ts.canHaveModifiers(st) &&
      ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) return [];
    if (ts.isVariableStatement(st)) {
      return st.declarationList.declarations.map((d) => d.name.getText(sf));
    }
    const name = (st as { name?: ts.Node }).name;
    return name && ts.isIdentifier(name) ? [name.text] : [];
  });
}

/**
 * The names `file` uses of each face in `faces` that lies outside its own folder: face →
 * names. A namespace import used other than as `ns.Name` uses every name of the face.
 */
function namesUsed(file: string, text: string, faces: Map<string, string[]>) {
  const used = new Map<string, Set<string>>();
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const faceOf = (spec: string) => {
    if (!spec.startsWith(".")) return null;
    const target = relative(ROOT, join(ROOT, dirname(file), spec));
    return faces.has(target) && !file.startsWith(dirname(target) + "/") ? target : null;
  };
  const use = (face: string, names: Iterable<string>) => {
    const set = used.get(face) ?? new Set<string>();
    for (const n of names) set.add(n);
    used.set(face, set);
  };
  const aliases = new Map<string, string>();
  const visit = (n: ts.Node) => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const face = faceOf(n.moduleSpecifier.text);
      const b = n.importClause?.namedBindings;
      if (face && b && ts.isNamespaceImport(b)) aliases.set(b.name.text, face);
      else if (face && b && ts.isNamedImports(b)) {
        use(face, b.elements.map((e) => (e.propertyName ?? e.name).text));
      }
    } else if (
      ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)
    ) {
      const face = faceOf(n.moduleSpecifier.text);
      const c = n.exportClause;
      if (face) {
        use(
          face,
          c && ts.isNamedExports(c)
            ? c.elements.map((e) => (e.propertyName ?? e.name).text)
            : faces.get(face)!,
        );
      }
    } else if (
      ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword &&
      n.arguments.length > 0 && ts.isStringLiteral(n.arguments[0])
    ) {
      const face = faceOf(n.arguments[0].text);
      const holder = ts.isAwaitExpression(n.parent) ? n.parent.parent : n.parent;
      if (face && ts.isVariableDeclaration(holder) && ts.isObjectBindingPattern(holder.name)) {
        use(face, holder.name.elements.map((e) => (e.propertyName ?? e.name).getText(sf)));
      } else if (face) use(face, faces.get(face)!);
    } else if (
      ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) &&
      ts.isStringLiteral(n.argument.literal)
    ) {
      const face = faceOf(n.argument.literal.text);
      if (face) use(face, n.qualifier ? [n.qualifier.getText(sf).split(".")[0]] : faces.get(face)!);
    } else if (ts.isIdentifier(n) && aliases.has(n.text) && !ts.isNamespaceImport(n.parent)) {
      const face = aliases.get(n.text)!;
      const p = n.parent;
      if (ts.isPropertyAccessExpression(p) && p.expression === n) use(face, [p.name.text]);
      else if (ts.isQualifiedName(p) && p.left === n) use(face, [p.right.text]);
      else use(face, faces.get(face)!);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return used;
}

/** `face name` for every name a face exports that no file outside its folder uses. */
function unusedFaceNames(files: Map<string, string>): string[] {
  const faces = new Map<string, string[]>();
  for (const [file, text] of files) {
    if (/^lib\/[a-z_]+\/mod\.ts$/.test(file)) faces.set(file, exportedNames(file, text));
  }
  const used = new Map<string, Set<string>>();
  for (const [file, text] of files) {
    for (const [face, names] of namesUsed(file, text, faces)) {
      const set = used.get(face) ?? new Set<string>();
      for (const n of names) set.add(n);
      used.set(face, set);
    }
  }
  return [...faces].flatMap(([face, names]) =>
    names.filter((n) => !used.get(face)?.has(n)).map((n) => `${face} ${n}`)
  );
}

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(join(ROOT, dir))) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* tsFiles(path);
    else if (e.isFile && e.name.endsWith(".ts")) yield path;
  }
}

Deno.test("the detectors: export * and an import past a face are found", () => {
  const text = [
    'export * from "./a.ts";',
    'export * as b from "./b.ts";',
    'export { c } from "./c.ts";',
    'import { d } from "../store/dbfile_sql.ts";',
    'import { e } from "../store/mod.ts";',
    'import { f } from "./own.ts";',
    'const g = await import("../relief/read.ts");',
  ].join("\n");
  assert.deepEqual(exportStars("lib/x/mod.ts", text), ["lib/x/mod.ts:1", "lib/x/mod.ts:2"]);
  assert.deepEqual(pastTheFace("lib/x/mod.ts", text), [
    "lib/x/mod.ts -> lib/store/dbfile_sql.ts",
    "lib/x/mod.ts -> lib/relief/read.ts",
  ]);
  assert.deepEqual(pastTheFace("cli/y.ts", 'import { v } from "../lib/version.ts";'), []);
});

Deno.test("no export * in lib/", async () => {
  const found: string[] = [];
  for await (const file of tsFiles("lib")) {
    found.push(...exportStars(file, await Deno.readTextFile(join(ROOT, file))));
  }
  assert.deepEqual(found, [], `export * (name what is handed on):\n${found.join("\n")}`);
});

Deno.test("lib/ folders are entered only through mod.ts (allow-list only shrinks)", async () => {
  const found: string[] = [];
  for (const dir of ["lib", "cli", "adapters"]) {
    for await (const file of tsFiles(dir)) {
      found.push(...pastTheFace(file, await Deno.readTextFile(join(ROOT, file))));
    }
  }
  const offenders = found.filter((f) => !ALLOWED_PAST_FACE.has(f));
  assert.deepEqual(offenders, [], `import past a folder's mod.ts:\n${offenders.join("\n")}`);
  const stale = [...ALLOWED_PAST_FACE].filter((a) => !found.includes(a));
  assert.deepEqual(stale, [], `no longer imported; drop from ALLOWED_PAST_FACE: ${stale}`);
});

Deno.test("the detector: a face name nobody outside the folder uses is found", () => {
  const files = new Map([
    [
      "lib/a/mod.ts",
      'export { used, inside, viaNs, unused } from "./x.ts";\nexport const decl = 1;',
    ],
    ["lib/a/y.ts", 'import { inside } from "./mod.ts";'],
    [
      "lib/b/mod.ts",
      'import { used } from "../a/mod.ts";\nexport type T = import("../a/mod.ts").decl;',
    ],
    ["cli/c.ts", 'import * as a from "../lib/a/mod.ts";\na.viaNs();'],
  ]);
  assert.deepEqual(unusedFaceNames(files), [
    "lib/a/mod.ts inside",
    "lib/a/mod.ts unused",
    "lib/b/mod.ts T",
  ]);
});

Deno.test("every name a lib/ face exports is used outside its folder", async () => {
  const files = new Map<string, string>();
  for (const dir of ["lib", "cli", "adapters", "scripts", "tests", "conformance"]) {
    for await (const file of tsFiles(dir)) {
      if (file.startsWith("tests/fixtures/")) continue;
      files.set(file, await Deno.readTextFile(join(ROOT, file)));
    }
  }
  for (const file of ["main.ts", "bundle_entry.ts"]) {
    files.set(file, await Deno.readTextFile(join(ROOT, file)));
  }
  const unused = unusedFaceNames(files);
  assert.deepEqual(
    unused,
    [],
    `exported by a face, used by no other folder:\n${unused.join("\n")}`,
  );
});
