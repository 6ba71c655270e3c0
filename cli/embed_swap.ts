/**
 * CLI: `embed swap` (memman's online embedder switch). Flags and `--json` shape as memman's:
 * `--to MODEL [--provider P]`, `--resume`, `--abort`; output `{store, state, fingerprint}`
 * (plus memoryoss's counts). Calls lib/memory's embedSwap.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import { embedSwap } from "../lib/memory/mod.ts";
import { currentStore } from "../lib/namespace/mod.ts";
import { type CommandSpec, JSON_OPTION, parseCommand, strValue } from "./_args.ts";
import { type Globals, printJson, progress } from "./_io.ts";
import { withRuntime } from "./_runtime.ts";

const PROVIDERS = ["builtin", "openai", "voyage", "ollama"] as const;

const swapSpec: CommandSpec = {
  name: "embed swap",
  summary: "switch the home to another embedder online (recall keeps working until the cutover)",
  usage: [
    "embed swap --to MODEL [--provider P] [--base-url URL] [--dry-run] [--json]",
    "embed swap --resume | --abort",
  ],
  options: {
    to: { type: "string", value: "MODEL", description: "target model (e.g. nomic-embed-text)" },
    provider: {
      type: "string",
      value: "P",
      description: "builtin | openai | voyage | ollama (default: the current one)",
    },
    "base-url": { type: "string", value: "URL", description: "the target server's base URL" },
    "dry-run": { type: "boolean", description: "count what would be re-embedded; change nothing" },
    resume: { type: "boolean", description: "memman's resume (nothing is ever left in flight)" },
    abort: { type: "boolean", description: "memman's abort (nothing is ever left in flight)" },
    json: JSON_OPTION,
  },
  notes: [
    "Every memory of the home (all stores: they share one embedder) gets a vector from the " +
    "target while the old vectors keep serving recall; rows written meanwhile are caught up; " +
    "then one transaction switches the vectors and [embeddings] in memoryoss.toml names the " +
    "target. An interrupted swap changes nothing: run it again. A running `memoryoss serve` " +
    "or `mcp-server` switches to the new embedder on its next request (no restart). " +
    "MEMMAN_EMBED_SWAP_BATCH_SIZE sets the batch (200).",
  ],
  examples: [
    "memoryoss embed swap --provider ollama --to nomic-embed-text --dry-run",
    "memoryoss embed swap --provider openai --base-url http://127.0.0.1:11434/v1 --to bge-m3 --json",
  ],
};

/** `embed swap …` (args after `swap`). */
export async function embedSwapCmd(args: string[], g: Globals): Promise<number> {
  const p = parseCommand(swapSpec, args);
  if (!p) return 0;
  const v = p.values;
  if (p.positionals.length) {
    throw new MemoryossError("INVALID_INPUT", `unexpected argument '${p.positionals[0]}'`);
  }
  if (v.abort && v.resume) {
    throw new MemoryossError("INVALID_INPUT", "--abort and --resume are mutually exclusive");
  }
  const env = (k: string) => Deno.env.get(k);
  const provider = strValue(v.provider);
  if (provider !== undefined && !(PROVIDERS as readonly string[]).includes(provider)) {
    throw new MemoryossError(
      "INVALID_INPUT",
      `--provider must be one of ${PROVIDERS.join(", ")}, not '${provider}'`,
      ["provider"],
    );
  }
  return await withRuntime(g, async (rt) => {
    const store = currentStore(rt.loaded.home, env).name;
    if (v.abort) {
      if (v.json) printJson({ store, state: "aborted" });
      else console.log(`store '${store}': no swap in flight (an interrupted swap changes nothing)`);
      return 0;
    }
    if (v.resume) {
      throw new MemoryossError(
        "INVALID_INPUT",
        `no in-flight swap on store '${store}': an interrupted swap changes nothing; ` +
          "run 'embed swap --to MODEL' again",
      );
    }
    if (!v.to && !provider) {
      throw new MemoryossError("INVALID_INPUT", "--to <model> is required to start a new swap");
    }
    const res = await embedSwap(rt, {
      provider: provider as (typeof PROVIDERS)[number] | undefined,
      model: strValue(v.to),
      baseUrl: strValue(v["base-url"]),
    }, {
      store,
      dryRun: v["dry-run"] === true,
      env,
      onProgress: v.json ? undefined : progress("embedding"),
    });
    if (v.json) printJson(res);
    else if (res.state === "planned") {
      console.log(`would re-embed ${res.would_reembed} memories with ${res.embedder_id} (dry run)`);
    } else {
      console.log(
        `swapped ${res.previous_embedder_id} → ${res.embedder_id}: re-embedded ${res.reembedded} ` +
          `memories; [embeddings] in ${res.config_file} names the new model`,
      );
    }
    return 0;
  });
}
