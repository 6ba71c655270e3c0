/**
 * `embed swap` (memman's online embedder switch) through main.ts with embed's narrowed
 * permissions, against an OpenAI-compatible embeddings server on 127.0.0.1 (hashed
 * bag-of-words vectors, tests/embed/_fake_servers.ts). While the swap waits on the server,
 * recall keeps answering from the old vectors and a new memory can be stored; after the
 * cutover every vector (the new memory's too) is the target's and the config names it.
 */
import assert from "node:assert/strict";
import { cli, cliWith } from "../cli/_helpers.ts";
import { bowVector } from "./_fake_servers.ts";

const DIM = 16;

function gatedEmbeddingServer() {
  let release!: () => void;
  const gate = new Promise<void>((ok) => release = ok);
  let arrived!: () => void;
  const first = new Promise<void>((ok) => arrived = ok);
  const inputs: string[] = [];
  let documents = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.json() as { model: string; input: string[] };
    inputs.push(...body.input);
    // The dim probe is a single short text; the backfill's first batch waits for the gate.
    if (body.input.length > 1 && documents++ === 0) {
      arrived();
      await gate;
    }
    return Response.json({
      object: "list",
      model: body.model,
      data: body.input.map((t, index) => ({
        object: "embedding",
        index,
        embedding: bowVector(t, DIM),
      })),
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}/v1`,
    inputs,
    first,
    release,
    async [Symbol.asyncDispose]() {
      release();
      await server.shutdown();
    },
  };
}

async function home(): Promise<string> {
  const h = await Deno.makeTempDir({ prefix: "memoryoss-swap-" });
  for (
    const [ns, text] of [
      ["a", "The deploy key lives in the vault"],
      ["a", "Standups start at nine"],
      ["a", "We ship the mobile app on Tuesdays"],
      ["b", "Grafana dashboards live in the ops repo"],
    ]
  ) {
    const r = await cli(h, "store", "-n", ns, text);
    assert.equal(r.code, 0, r.stderr);
  }
  return h;
}

Deno.test("embed swap: online switch, recall keeps working, late writes caught up", async () => {
  const h = await home();
  await using srv = gatedEmbeddingServer();
  const swapArgs = ["embed", "swap", "--provider", "openai", "--base-url", srv.base];

  const plan = await cli(h, ...swapArgs, "--to", "fake-embed", "--dry-run", "--json");
  assert.equal(plan.code, 0, plan.stderr);
  assert.equal(plan.json().state, "planned");
  assert.equal(plan.json().would_reembed, 4);
  assert.doesNotMatch(await Deno.readTextFile(`${h}/memoryoss.toml`), /fake-embed/);

  const swap = cli(h, ...swapArgs, "--to", "fake-embed", "--json");
  await srv.first; // the backfill is waiting on the server
  const during = await cli(h, "recall", "-n", "a", "--json", "where is the deploy key");
  assert.equal(during.code, 0, during.stderr);
  assert.equal(during.json().memories[0].content, "The deploy key lives in the vault");
  const late = await cli(h, "store", "-n", "b", "Alerts page the on-call engineer");
  assert.equal(late.code, 0, late.stderr);
  srv.release();

  const done = await swap;
  assert.equal(done.code, 0, done.stderr);
  const out = done.json();
  assert.equal(out.store, "default");
  assert.equal(out.state, "done");
  assert.deepEqual(out.fingerprint, { provider: "openai", model: "fake-embed", dim: DIM });
  assert.equal(out.reembedded, 5, "4 memories plus the one stored during the swap");
  assert.ok(srv.inputs.includes("Alerts page the on-call engineer"));

  const toml = await Deno.readTextFile(`${h}/memoryoss.toml`);
  assert.match(toml, /^provider = "openai"$/m);
  assert.match(toml, /^model = "fake-embed"$/m);
  assert.match(toml, new RegExp(`^base_url = "${srv.base}"$`, "m"));

  const status = (await cli(h, "status", "--json")).json();
  assert.equal(status.embedder.id, `openai:fake-embed@${DIM}`);
  assert.equal(status.needs_reembed, 0);
  const after = await cli(h, "recall", "-n", "b", "--mode", "vector", "--json", "grafana ops");
  assert.equal(after.code, 0, after.stderr);
  assert.equal(after.json().memories[0].content, "Grafana dashboards live in the ops repo");
  assert.ok(srv.inputs.includes("grafana ops"), "the query was embedded by the new model");
  await Deno.remove(h, { recursive: true });
});

Deno.test("embed swap: --abort, --resume and bad input as memman spells them", async () => {
  const h = await Deno.makeTempDir({ prefix: "memoryoss-swap-" });
  const abort = await cli(h, "embed", "swap", "--abort", "--json");
  assert.equal(abort.code, 0, abort.stderr);
  assert.deepEqual(abort.json(), { store: "default", state: "aborted" });
  const resume = await cli(h, "embed", "swap", "--resume");
  assert.equal(resume.code, 3);
  assert.match(resume.stderr, /no in-flight swap on store 'default'/);
  const both = await cli(h, "embed", "swap", "--resume", "--abort");
  assert.equal(both.code, 3);
  assert.match(both.stderr, /--abort and --resume are mutually exclusive/);
  const noTarget = await cli(h, "embed", "swap");
  assert.equal(noTarget.code, 3);
  assert.match(noTarget.stderr, /--to <model> is required to start a new swap/);
  const badProvider = await cliWith(h, {}, "embed", "swap", "--provider", "cohere", "--to", "x");
  assert.equal(badProvider.code, 3);
  const help = await cli(h, "embed", "swap", "--help");
  assert.equal(help.code, 0);
  assert.match(help.stdout, /memoryoss embed swap --provider ollama --to nomic-embed-text/);
  await Deno.remove(h, { recursive: true });
});
