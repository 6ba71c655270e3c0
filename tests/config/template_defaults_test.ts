/**
 * The generated template values (lib/config/template_defaults.ts, read by `loadConfig` instead
 * of parsing the unchanged template) are the template's own, and were made from this template.
 */
import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { CONFIG_TEMPLATE } from "../../lib/config/mod.ts";
import {
  DEFAULTS_FOR,
  DEFAULTS_JSON,
  templateFingerprint,
} from "../../lib/config/template_defaults.ts";

Deno.test("config: the generated template values are the parsed template's (rerun scripts/build_config_defaults.ts after a template edit)", () => {
  assert.equal(
    DEFAULTS_FOR,
    templateFingerprint(CONFIG_TEMPLATE),
    "the template changed: run `deno run -A scripts/build_config_defaults.ts`",
  );
  assert.deepEqual(JSON.parse(DEFAULTS_JSON), structuredClone(parse(CONFIG_TEMPLATE)));
});

Deno.test("config: the template fingerprint tells an edited template", () => {
  const edited = CONFIG_TEMPLATE.replace("port = 8000", "port = 8001");
  assert.notEqual(templateFingerprint(edited), templateFingerprint(CONFIG_TEMPLATE));
  assert.notEqual(templateFingerprint(CONFIG_TEMPLATE + " "), templateFingerprint(CONFIG_TEMPLATE));
});
