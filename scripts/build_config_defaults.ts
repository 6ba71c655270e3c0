/**
 * Regenerate lib/config/template_defaults.ts: the values of lib/config/template.ts as JSON,
 * with the template's fingerprint, so `loadConfig` reads an unchanged home config without the
 * TOML parser (start-up, docs/benchmarks.md). Run it after editing the template;
 * tests/config/template_defaults_test.ts fails until then (and `loadConfig` parses the
 * template meanwhile, correct but slower).
 *
 *   deno run -A scripts/build_config_defaults.ts
 */
import { parse } from "smol-toml";
import { CONFIG_TEMPLATE } from "../lib/config/template.ts";
import { templateFingerprint } from "../lib/config/template_defaults.ts";

const target = new URL("../lib/config/template_defaults.ts", import.meta.url);
const text = await Deno.readTextFile(target);
const json = JSON.stringify(parse(CONFIG_TEMPLATE));
const next = text
  .replace(/DEFAULTS_FOR = "[^"]*"/, `DEFAULTS_FOR = "${templateFingerprint(CONFIG_TEMPLATE)}"`)
  .replace(
    // Double quotes as written here, single quotes after \`deno fmt\`.
    /DEFAULTS_JSON =\n {2}(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/,
    () => `DEFAULTS_JSON =\n  ${JSON.stringify(json)}`,
  );
await Deno.writeTextFile(target, next);
console.log(`template_defaults.ts: ${json.length} bytes of JSON`);
