import assert from "node:assert/strict";
import { COMMANDS } from "../cli/commands.ts";
import { ALL_PERMISSIONS, PERMISSIONS } from "../cli/permissions.ts";

const denoJson = JSON.parse(
  await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
) as { permissions: Record<string, Record<string, unknown>>; tasks: Record<string, string> };

Deno.test("permissions: every command has a table entry and a matching deno.json set", () => {
  for (const name of Object.keys(COMMANDS)) {
    const table = PERMISSIONS[name];
    assert.ok(table, `cli/permissions.ts has no entry for '${name}'`);
    const set = denoJson.permissions[name];
    assert.ok(set, `deno.json has no permission set '${name}'`);
    const granted = ALL_PERMISSIONS.filter((p) => set[p] === true || Array.isArray(set[p]));
    assert.deepEqual(granted.sort(), [...table].sort(), `deno.json set '${name}'`);
    for (const key of Object.keys(set)) {
      assert.ok((ALL_PERMISSIONS as readonly string[]).includes(key), `unknown key ${key}`);
    }
  }
});

Deno.test("permissions: servers never hold ffi or run", () => {
  for (const name of ["serve", "mcp-server"]) {
    assert.ok(!PERMISSIONS[name].includes("ffi"), `${name} holds ffi`);
    assert.ok(!PERMISSIONS[name].includes("run"), `${name} holds run`);
  }
});

Deno.test("permissions: a command really loses what it does not hold", async () => {
  // `config path` holds no net: a child that is granted -A must end up without it.
  const probe = `
    import { narrowPermissions } from "${new URL("../cli/permissions.ts", import.meta.url).href}";
    narrowPermissions("config");
    const q = (name) => Deno.permissions.querySync({ name }).state;
    console.log(JSON.stringify({ net: q("net"), run: q("run"), ffi: q("ffi"), read: q("read") }));
    try { await fetch("http://127.0.0.1:8765/"); } catch (e) { console.log(e.name); }
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", "-A", probe],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  const states = JSON.parse(lines[0]);
  assert.notEqual(states.net, "granted");
  assert.notEqual(states.run, "granted");
  assert.notEqual(states.ffi, "granted");
  assert.equal(states.read, "granted");
  assert.equal(lines[1], "NotCapable");
});

Deno.test("permissions: Deno refuses /proc to a narrowed process, so /proc readers hold ffi", async () => {
  // The platform rule behind lane's and relief's ffi: full `read` is not enough for /proc once
  // --allow-all is gone ("Requires all access"); a plain file still reads.
  const probe = `
    import { narrowPermissions } from "${new URL("../cli/permissions.ts", import.meta.url).href}";
    narrowPermissions("lane");
    console.log(Deno.permissions.querySync({ name: "read" }).state);
    Deno.readTextFileSync("${new URL(import.meta.url).pathname}");
    try { Deno.readTextFileSync("/proc/self/stat"); console.log("read"); }
    catch (e) { console.log(e.name, e.message.split(",")[0]); }
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", "-A", probe],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  assert.deepEqual(lines, [
    "granted",
    'NotCapable Requires all access to "/proc/self/stat"',
  ], new TextDecoder().decode(out.stderr));
  for (const name of ["lane", "relief"]) {
    assert.ok(PERMISSIONS[name].includes("ffi"), `${name} reads /proc through libc`);
  }
});

Deno.test("permissions: the start task runs serve under the serve permission set", () => {
  // The V8 flags between are the binary's own (scripts/compile.ts V8_FLAGS; tests/compile_test.ts).
  assert.match(denoJson.tasks.start, /^deno run -P=serve (--v8-flags=\S+ )?main\.ts serve$/);
});
