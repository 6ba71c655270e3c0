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
  type LoadOptions,
  provideConfigParser,
  templateDefaults,
} from "./load.ts";
export { type Config, ConfigSchema } from "./schema.ts";
export { CONFIG_TEMPLATE } from "./template.ts";
export { type EnvGet, resolveHome } from "./home.ts";
export { isSecretKey, maskSecret, redactSecrets, redactUrl, SECRET_MASK } from "./redact.ts";
export { FetchFailure, fetchWithTimeout } from "./fetch.ts";
export type { FetchTimeoutOptions, TimedResponse } from "./fetch.ts";
export { type CompatNote, MEMORYOSS_ONLY_KEYS, warningLine } from "./compat.ts";
export { migrateConfigText } from "./migrate.ts";
export {
  configKeyPath,
  type ConfigSetResult,
  getConfigKey,
  setConfigKey,
  shownConfigValue,
} from "./edit.ts";
export {
  checkConfig,
  parseConfig,
  parseConfigNotes,
  parseTomlText,
  validateConfig,
} from "./parse.ts";
