/**
 * Entry of the single-file bundle (`deno bundle --platform=deno -o memoryoss.js bundle_entry.ts`):
 * main.ts with every command module imported statically. main.ts loads command modules through
 * specifiers built at run time (fast start-up under `deno run`), which a bundler cannot follow, so
 * this entry names them and hands them over before running the CLI.
 */
import { type CommandModules, preloadCommandModules } from "./cli/commands.ts";
import * as Adapter from "./cli/adapter.ts";
import * as Backup from "./cli/backup.ts";
import * as Bundle from "./cli/bundle.ts";
import * as Config from "./cli/config.ts";
import * as Connector from "./cli/connector.ts";
import * as Conformance from "./cli/conformance.ts";
import * as Dev from "./cli/dev.ts";
import * as Doctor from "./cli/doctor.ts";
import * as Drain from "./cli/drain.ts";
import * as Encryption from "./cli/encryption.ts";
import * as Graph from "./cli/graph.ts";
import * as History from "./cli/history.ts";
import * as Hud from "./cli/hud.ts";
import * as Hook from "./cli/hook.ts";
import * as Insights from "./cli/insights.ts";
import * as Install from "./cli/install.ts";
import * as Keys from "./cli/keys.ts";
import * as Lane from "./cli/lane.ts";
import * as Lifecycle from "./cli/lifecycle.ts";
import * as McpServer from "./cli/mcp_server.ts";
import * as MemoryRead from "./cli/memory_read.ts";
import * as MemoryWrite from "./cli/memory_write.ts";
import * as Migrate from "./cli/migrate.ts";
import * as Passport from "./cli/passport.ts";
import * as Recall from "./cli/recall.ts";
import * as Reader from "./cli/reader.ts";
import * as Recent from "./cli/recent.ts";
import * as Relief from "./cli/relief.ts";
import * as Remember from "./cli/remember.ts";
import * as Review from "./cli/review.ts";
import * as Scheduler from "./cli/scheduler.ts";
import * as Serve from "./cli/serve.ts";
import * as Setup from "./cli/setup.ts";
import * as Store from "./cli/store.ts";
import * as StoresCli from "./cli/stores.ts";
import * as Trust from "./cli/trust.ts";
import * as Worker from "./cli/worker.ts";
import { run } from "./main.ts";
import * as ConfigParse from "./lib/config/parse.ts";
import * as ConfigCompat from "./lib/config/compat.ts";
import { provideConfigParser } from "./lib/config/mod.ts";
import * as MemoryLib from "./lib/memory/mod.ts";
import * as LlmLib from "./lib/llm/mod.ts";
import { provideLazyModules } from "./cli/_lazy.ts";

const modules: CommandModules = {
  adapter: Adapter,
  backup: Backup,
  bundle: Bundle,
  config: Config,
  connector: Connector,
  conformance: Conformance,
  dev: Dev,
  doctor: Doctor,
  drain: Drain,
  encryption: Encryption,
  graph: Graph,
  history: History,
  hud: Hud,
  hook: Hook,
  insights: Insights,
  install: Install,
  keys: Keys,
  lane: Lane,
  lifecycle: Lifecycle,
  mcp_server: McpServer,
  memory_read: MemoryRead,
  memory_write: MemoryWrite,
  migrate: Migrate,
  passport: Passport,
  recall: Recall,
  reader: Reader,
  recent: Recent,
  relief: Relief,
  remember: Remember,
  review: Review,
  scheduler: Scheduler,
  serve: Serve,
  setup: Setup,
  store: Store,
  trust: Trust,
  worker: Worker,
};
preloadCommandModules(modules);
// Loaded on demand through run-time specifiers elsewhere (kept out of start-up graphs).
provideConfigParser({ parse: ConfigParse, compat: ConfigCompat });
Remember.provideMemoryLib(MemoryLib);
provideLazyModules({ memory: MemoryLib, llm: LlmLib, stores: StoresCli });

if (import.meta.main) Deno.exit(await run(Deno.args));
