/**
 * An independent oracle for the portable formats: Python's own `json` and `hashlib`, run as a
 * child process, doing what memoryOSS's reference reader does (spec §5.2, §5.3, §5.7): load
 * the JSON, hash the listed fields as compact JSON without ASCII escaping, and print the value
 * with `json.dumps(indent=2, ensure_ascii=False)` plus a newline. Nothing here calls our code.
 * Tests using it are ignored, with the reason in their name, when python3 is missing.
 */
import { hasCommand, skipIf } from "../_support/skip.ts";

/** True when `python3` runs on this host (it does on CI). */
export const HAS_PYTHON = await hasCommand("python3");

/** Deno.test options for a test that needs python3. */
export function needsPython(name: string): { name: string; ignore: boolean } {
  return skipIf(!HAS_PYTHON && "python3 is not installed (independent oracle)", name);
}

const REFERENCE = String.raw`
import hashlib, json, sys
FIELDS = {
  "passport": ["bundle_version", "passport_id", "runtime_contract", "scope", "namespace",
               "exported_at", "provenance", "memories"],
  "history": ["bundle_version", "history_id", "root_id", "runtime_contract", "namespace",
              "exported_at", "memories", "edges", "timeline"],
}
def reference(kind, text):
    doc = json.loads(text)
    out = {"normalized": json.dumps(doc, ensure_ascii=False, indent=2) + "\n"}
    if kind in FIELDS:
        payload = json.dumps({k: doc[k] for k in FIELDS[kind]}, ensure_ascii=False,
                             separators=(",", ":"))
        out["payload"] = payload
        out["computed"] = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        out["stored"] = doc["integrity"]["payload_sha256"]
    return out
jobs = json.loads(sys.stdin.buffer.read().decode("utf-8"))
sys.stdout.write(json.dumps([reference(j["kind"], j["text"]) for j in jobs]))
`;

/** What the Python reference makes of one artifact. */
export interface PythonReference {
  /** `json.dumps(value, ensure_ascii=False, indent=2) + "\n"`. */
  normalized: string;
  /** Passport/history: the exact text hashed, its sha256 and the stored hash. */
  payload?: string;
  computed?: string;
  stored?: string;
}

/**
 * Runs a Python snippet with `args`, feeding `stdin`; returns stdout (throws on failure).
 *
 * @example
 * ```ts
 * await python("import sys; print(sys.argv[1])", ["hi"]); // "hi\n"
 * ```
 */
export async function python(script: string, args: string[] = [], stdin = ""): Promise<string> {
  const child = new Deno.Command("python3", {
    args: ["-c", script, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { PYTHONIOENCODING: "utf-8" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  const err = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`python3 failed (exit ${out.code}): ${err}`);
  return new TextDecoder().decode(out.stdout);
}

/**
 * The Python reference's view of each artifact text read as its kind (passport, history or
 * runtime_contract), in one python3 run.
 *
 * @example
 * ```ts
 * const [ref] = await pythonReference([{ kind: "passport", text }]);
 * ref.computed === ref.stored; // the integrity hash holds for Python
 * ```
 */
export async function pythonReference(
  jobs: { kind: string; text: string }[],
): Promise<PythonReference[]> {
  // The job list travels as JSON with ASCII escapes, so any text reaches Python unchanged.
  return JSON.parse(await python(REFERENCE, [], JSON.stringify(jobs)));
}
