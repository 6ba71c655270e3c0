/**
 * CLI: connector — the twins of `GET /v1/connectors` (list) and `POST /v1/connectors/ingest`
 * (ingest): an ambient signal becomes a review-queue candidate. Both call lib/connectors, as
 * the routes do; ingest stores through the same write queue.
 */
import { connectorCatalog, ConnectorIngestSchema, ingestConnector } from "../lib/connectors/mod.ts";
import { parseInput, validateStoreInput, writeQueue } from "../lib/memory/mod.ts";
import { namespaceValue, stripUndefined, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { flag, JSON_OUT, NS, runGroup, str, type Sub } from "./_portable.ts";
import { withRuntime } from "./_runtime.ts";

const list: Sub = {
  summary: "the connector kinds a signal can come from",
  usage: "list [--json]",
  options: { ...JSON_OUT },
  examples: ["memoryoss connector list --json"],
  positionals: 0,
  run(p) {
    const cat = connectorCatalog();
    if (p.values.json) printJson(cat);
    else {
      const w = Math.max(...cat.connectors.map((c) => c.kind.length)) + 2;
      for (const c of cat.connectors) console.log(`${c.kind.padEnd(w)}${c.description}`);
    }
    return Promise.resolve(0);
  },
};

const many = (description: string, value: string) => ({
  ...str(description, value),
  multiple: true,
});

const ingest: Sub = {
  summary: "turn one signal into a review-queue candidate",
  usage: "ingest CONNECTOR SUMMARY [--evidence TEXT]… [--tag T]… [--source-ref REF] " +
    "[-n NS] [--no-redact] [--dry-run] [--json]",
  options: {
    evidence: many("a line of evidence (up to 20)", "TEXT"),
    tag: many("a tag (up to 20)", "T"),
    "source-ref": str("where the signal came from (ticket id, URL, file)", "REF"),
    "no-redact": flag("keep secrets-looking text (redacted by default)"),
    "dry-run": flag("show the candidate without storing it"),
    ...NS,
    ...JSON_OUT,
  },
  notes: [
    "The candidate waits in the review queue ('memoryoss review queue') until confirmed.",
    "Run 'memoryoss connector list' for the kinds.",
  ],
  examples: [
    'memoryoss connector ingest ticket "Checkout fails for EU cards" --evidence "OPS-412" -n shop',
  ],
  positionals: 2,
  async run(p, g) {
    const [connector, summary] = p.positionals;
    const input = parseInput(
      ConnectorIngestSchema,
      stripUndefined({
        connector,
        summary,
        evidence: p.values.evidence as string[] | undefined,
        tags: p.values.tag as string[] | undefined,
        source_ref: strValue(p.values["source-ref"]),
        redact_sensitive: p.values["no-redact"] === true ? false : undefined,
        dry_run: p.values["dry-run"] === true ? true : undefined,
      }),
    );
    const namespace = namespaceValue(p.values.namespace);
    const res = await withRuntime(g, (rt) =>
      ingestConnector(
        input,
        namespace,
        (inputs, sourceKey) =>
          writeQueue(rt).store(inputs.map((i) => validateStoreInput(rt, i)), { sourceKey }),
      ));
    if (p.values.json) printJson(res);
    else if (res.dry_run) console.log(`would queue for review: ${res.preview.preview}`);
    else console.log(`queued for review (${res.outcome} ${res.id}): ${res.preview.preview}`);
    return 0;
  },
};

/** `memoryoss connector …`. */
export async function main(args: string[], g: Globals): Promise<number> {
  return await runGroup(
    "connector",
    "ambient connector signals into the review queue",
    {
      list,
      ingest,
    },
    args,
    g,
  );
}
