// `npx cartback <command>`: the operator CLI. Everything the admin does about campaigns,
// scriptable; `--json` prints machine-readable output. With the embedded PGlite database,
// stop the server first (one process at a time owns its files) or point DATABASE_URL at PostgreSQL.
import { DataDirLockedError } from "@cartback/db/data-dir-lock";
import { ConfigError, loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { createRuntime } from "../runtime.ts";
import { parseArgs } from "./args.ts";
import { type Out, UsageError, campaign, catalogSync, listShops, outbox, profile, sender } from "./commands.ts";
import { discount } from "./discount-command.ts";
import { report } from "./report-command.ts";
import { apiKey, catalog, install, pixel } from "./setup-commands.ts";
import { preview, template, testEmail } from "./template-commands.ts";

const COMMANDS = {
  shops: listShops,
  campaign,
  profile,
  "test-email": testEmail,
  template,
  preview,
  "catalog-sync": catalogSync,
  outbox,
  sender,
  install,
  "api-key": apiKey,
  pixel,
  catalog,
  report,
  discount,
} as const;

const HELP = `cartback <command>
  shops                                   list shops
  campaign <shop> [id] [flags]            show a campaign; flags update it (--delay, --steps, --active, --cap, --quiet, --max-age, --cooldown, --holdout, --empty-cart, --consent, --catalog, --alias, --property)
  profile <shop> <profile-id|email>       identities, live cart, events and decisions
  template <shop> [id] --step 1 [--subject S] [--preheader P] [--html-file F] [--default] [--catalog C] [--alias A] [--property P]
                                          show or edit a step's template (validated) and the catalog mapping
  preview <shop> [id] [--step 1] [--profile <id|email>] [--out file.html]   render a step (sample cart without --profile)
  test-email <shop> <to> [--profile <id|email>] [--step 1] [--campaign ID]   send a step marked [Test]; not counted
  catalog-sync <shop>                     run a full catalog sync and wait for it
  outbox [shop] [--limit 20]              recent emails (sent, retrying, failed)
  sender <shop> [--from-name N] [--from-address A] [--reply-to A]   show or set the shop's sender
  install <shop>                          register a shop by hand (self-hosted: automatic at start)
  api-key <shop>                          issue a new key for POST /api/v1/events and the catalog API (shown once)
  pixel <shop>                            activate (or update) the web pixel through the Admin API
  catalog <shop> [on|off] [--no-wait]     show Catalog Sync, or switch it (on starts a full sync and waits for it;
                                          --no-wait leaves it to the running server's worker)
  report <shop> [--days 30]               recovered revenue, funnel, clicks, skips, holdout lift, orders by rule and A/B tests per day and campaign
  discount <shop> [id] [--step 1] [--percent 10 | --amount 5.00 | --off] [--days 7] [--once true|false]
                                          show or set a step's single-use discount code (needs write_discounts)
  add --json to any command for JSON output`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help") {
    process.stdout.write(`${HELP}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name as keyof typeof COMMANDS];
  if (!command) {
    process.stderr.write(`unknown command ${name}\n${HELP}\n`);
    return 2;
  }
  const args = parseArgs(rest);
  const json = args.flags.get("json") === "true";
  const out: Out = (value, text) => process.stdout.write(`${json || text === undefined ? JSON.stringify(value, null, 2) : text}\n`);
  let runtime: Awaited<ReturnType<typeof createRuntime>> | undefined;
  try {
    const config = loadConfig({ ...process.env, CARTBACK_WORKER: "off" });
    runtime = await createRuntime(config, createLogger({ level: process.env.LOG_LEVEL ?? "warn" }));
    await command(runtime, args, out);
    return 0;
  } catch (error) {
    // A server holding the PGlite directory: refused with the fix, never a silent success.
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof DataDirLockedError) {
      process.stderr.write(`cartback ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await runtime?.database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
