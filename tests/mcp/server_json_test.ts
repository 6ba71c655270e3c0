/**
 * server.json, the MCP registry entry: the registry schema's rules (written by hand from the
 * registry's server.json format: reverse-DNS name with one slash, description ≤100 characters,
 * a concrete version, packages with a registry type and a transport) and that it describes what
 * ships: this version, and a package command that starts the MCP server.
 */
import assert from "node:assert/strict";
import { VERSION } from "../../lib/version.ts";

const ROOT = new URL("../../", import.meta.url);
const doc = JSON.parse(await Deno.readTextFile(new URL("server.json", ROOT)));

Deno.test("server.json: the MCP registry's required fields and limits", () => {
  assert.match(
    doc.$schema,
    /^https:\/\/static\.modelcontextprotocol\.io\/schemas\/[\d-]+\/server\.schema\.json$/,
  );
  assert.match(doc.name, /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/, "reverse-DNS name, one slash");
  assert.ok(doc.name.startsWith("io.github."), "GitHub-verified namespace");
  assert.equal(typeof doc.description, "string");
  assert.ok(doc.description.length >= 1 && doc.description.length <= 100, doc.description);
  assert.match(doc.version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, "a concrete semver");
  assert.equal(doc.version, VERSION, "server.json follows lib/version.ts");
  assert.ok(Array.isArray(doc.packages) && doc.packages.length > 0);
  for (const p of doc.packages) {
    assert.ok(["npm", "pypi", "oci", "nuget", "mcpb"].includes(p.registryType), p.registryType);
    assert.equal(typeof p.identifier, "string");
    assert.ok(["stdio", "streamable-http", "sse"].includes(p.transport?.type), "transport");
    if (p.registryType === "oci") {
      assert.equal(p.identifier.split(":").pop(), VERSION, "the image tag is this version");
    }
    for (const a of [...(p.packageArguments ?? []), ...(p.runtimeArguments ?? [])]) {
      assert.ok(["positional", "named"].includes(a.type), JSON.stringify(a));
      if (a.type === "named") assert.match(a.name, /^--?[a-z]/);
    }
  }
});

Deno.test("server.json: the package arguments name a real command (mcp-server)", async () => {
  for (const p of doc.packages) {
    const args = (p.packageArguments ?? []).filter((a: { type: string }) => a.type === "positional")
      .map((a: { value: string }) => a.value);
    assert.deepEqual(args, ["mcp-server"]);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", new URL("main.ts", ROOT).pathname, ...args, "--help"],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.match(text, /mcp-server/);
  }
});
