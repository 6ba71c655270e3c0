/**
 * CLI: `review queue|confirm|reject|supersede` over the review queue (lib/memory/review.ts):
 * candidates, contested and rejected memories waiting for a person.
 */
import { MemoryossError } from "../lib/errors/mod.ts";
import { type CommandSpec, intValue, namespaceValue, type Parsed, strValue } from "./_args.ts";
import { type Globals, printJson } from "./_io.ts";
import { runVerbs } from "./_subcommands.ts";
import { withRuntime } from "./_runtime.ts";
import { reviewAction, reviewQueue, type Runtime } from "../lib/memory/mod.ts";

const reviewSpec: CommandSpec = {
  name: "review",
  summary: "list the review queue and confirm, reject or supersede its items",
  usage: [
    "review queue [--namespace NS] [--limit N] [--json]",
    "review confirm|reject --item N [--namespace NS] [--json]",
    "review supersede --item N --with-item M [--namespace NS] [--json]",
  ],
  options: {
    namespace: {
      type: "string",
      short: "n",
      value: "NS",
      description: "namespace (default: the current store's)",
    },
    limit: { type: "string", value: "N", description: "items listed (1–100, default 20)" },
    item: {
      type: "string",
      value: "N",
      description: "queue position from 'review queue' (1 = oldest), or a memory id",
    },
    "with-item": {
      type: "string",
      value: "M",
      description: "supersede: the replacement (queue position or memory id)",
    },
    with: { type: "string", value: "M", description: "same as --with-item" },
    actor: { type: "string", value: "NAME", description: "who reviews (default: cli)" },
    json: { type: "boolean", description: "print JSON" },
  },
  notes: [
    "Positions refer to the queue as listed now (oldest first, up to 100); ids always work.",
    "memoryOSS spelling: review supersede --namespace NS --item N --with-item M.",
  ],
  examples: [
    "memoryoss review queue -n demo",
    "memoryoss review confirm --item 1 -n demo",
    "memoryoss review supersede --namespace demo --item 2 --with-item 1",
    "memoryoss review supersede --item 2 --with-item 0194c3… -n demo",
  ],
};

/** A queue position (1-based) or a memory id / review key → the memory id. */
function resolveItem(rt: Runtime, namespace: string | undefined, ref: string, flag: string) {
  if (!/^\d+$/.test(ref)) return ref.replace(/^(review|rq):/, "");
  const n = intValue(ref, flag, 1)!;
  if (n > 100) {
    throw new MemoryossError("INVALID_INPUT", `--${flag}: positions go up to 100; use the id`);
  }
  const q = reviewQueue(rt, { ...(namespace ? { namespace } : {}), limit: 100 });
  const item = q.items[n - 1];
  if (!item) {
    throw new MemoryossError(
      "NOT_FOUND",
      `--${flag} ${n}: the review queue of ${q.namespace} has ${q.items.length} item(s)`,
    );
  }
  return item.id;
}

/** `--with-item` (memoryOSS) or its short form `--with`; not both. */
function withValue(v: Record<string, unknown>): string | undefined {
  const long = strValue(v["with-item"]);
  const short = strValue(v.with);
  if (long !== undefined && short !== undefined) {
    throw new MemoryossError("INVALID_INPUT", "give --with-item or --with, not both");
  }
  return long ?? short;
}

async function reviewCmd(args: string[], g: Globals): Promise<number> {
  const verbs = { queue, confirm: action, reject: action, supersede: action };
  return await runVerbs(reviewSpec, verbs, args, g);
}

function noArguments(rest: string[]): void {
  if (rest.length) throw new MemoryossError("INVALID_INPUT", `unexpected argument '${rest[0]}'`);
}

/** `review queue`: the items waiting, oldest first, numbered. */
async function queue(p: Parsed, rest: string[], g: Globals): Promise<number> {
  noArguments(rest);
  const v = p.values;
  const namespace = namespaceValue(v.namespace);
  const limit = intValue(v.limit, "limit", 1);
  const res = await withRuntime(g, (rt) =>
    reviewQueue(rt, {
      ...(namespace ? { namespace } : {}),
      ...(limit !== undefined ? { limit } : {}),
    }));
  if (v.json) printJson(res);
  else {
    console.log(`${res.summary.pending} pending review in ${res.namespace}`);
    for (const [i, it] of res.items.entries()) {
      console.log(
        `${
          String(i + 1).padStart(3)
        }. [${it.queue_kind}] ${it.id} → ${it.suggested_action}: ${it.preview}`,
      );
    }
  }
  return 0;
}

/** `review confirm|reject|supersede --item N`: act on one item. */
async function action(p: Parsed, rest: string[], g: Globals): Promise<number> {
  noArguments(rest);
  const v = p.values;
  const sub = p.positionals[0] as "confirm" | "reject" | "supersede";
  const namespace = namespaceValue(v.namespace);
  const item = strValue(v.item);
  if (!item) throw new MemoryossError("INVALID_INPUT", `review ${sub} needs --item N`);
  const withRef = withValue(v);
  if (sub === "supersede" && !withRef) {
    throw new MemoryossError(
      "INVALID_INPUT",
      "review supersede needs --with-item M (the replacement)",
    );
  }
  if (sub !== "supersede" && withRef) {
    throw new MemoryossError("INVALID_INPUT", "--with-item is only for review supersede");
  }
  const res = await withRuntime(g, (rt) => {
    // Resolve both positions against the same queue listing, before anything changes.
    const id = resolveItem(rt, namespace, item, "item");
    const replacement = withRef ? resolveItem(rt, namespace, withRef, "with-item") : undefined;
    return reviewAction(rt, {
      ...(namespace ? { namespace } : {}),
      review_key: `review:${id}`,
      action: sub,
      ...(replacement ? { supersede_with_review_key: `review:${replacement}` } : {}),
    }, { actor: strValue(v.actor) ?? "cli" });
  });
  if (v.json) printJson(res);
  else {
    console.log(
      `${res.action} ${res.memory.id}: now ${res.memory.status}` +
        (res.replacement ? ` (superseded by ${res.replacement.id})` : ""),
    );
  }
  return 0;
}

export const commands: Record<string, (args: string[], g: Globals) => Promise<number>> = {
  review: reviewCmd,
};
