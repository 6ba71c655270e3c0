/**
 * Configuration: the home folder, `memoryoss.toml` (smol-toml, validated by zod) and the key
 * file. The first run writes a commented config with every default and a random key.
 *
 * @module
 */
export {
  ioReason,
  loadConfig,
  type LoadedConfig,
  provideConfigParser,
  templateDefaults,
} from "./load.ts";
export { type Config, ConfigSchema } from "./schema.ts";
export { CONFIG_TEMPLATE } from "./template.ts";
export { type EnvGet, resolveHome } from "./home.ts";
export { isSecretKey, maskSecret, redactSecrets, redactUrl } from "./redact.ts";
export { FetchFailure, fetchWithTimeout } from "./fetch.ts";
export { migrateConfigText } from "./migrate.ts";
export { configKeyPath, getConfigKey, setConfigKey, shownConfigValue } from "./edit.ts";
export { parseConfig, parseConfigNotes, validateConfig } from "./parse.ts";
