import type { ConsolaInstance } from "consola";
import * as z from "zod";
import { readEnv, type Env } from "./config.ts";
import { openDatabase, type Database } from "./database.ts";
import { createLogger } from "./logger.ts";

export interface CommandContext {
  env: Env;
  logger: ConsolaInstance;
  db: Database;
}

interface HintedError {
  message: string;
  code?: string;
  hint?: string;
}

export interface RunCommandOptions {
  /** Exit code for a failure other than 1 (e.g. 75 when another run holds the lock). */
  exitCodeFor?: (error: unknown) => number | undefined;
}

/**
 * Runs a command body with the environment parsed, a logger on stderr and the database open;
 * closes the database whatever happens, and turns errors into one readable message (code and
 * hint) with exit code 1 instead of a stack trace.
 */
export async function runCommand(body: (ctx: CommandContext) => Promise<void>, options: RunCommandOptions = {}): Promise<void> {
  let logger = createLogger("text");
  let db: Database | undefined;
  try {
    const env = readEnv();
    logger = createLogger(env.OSMN_LOG_FORMAT);
    db = await openDatabase(env, logger);
    await body({ env, logger, db });
  } catch (err) {
    if (err instanceof z.ZodError) {
      logger.error(`Invalid arguments:\n${z.prettifyError(err)}`);
      logger.info("hint: run the command with --help to see what it takes.");
      process.exitCode = 1;
      return;
    }
    const e = err as HintedError;
    logger.error(`${e.code ? `[${e.code}] ` : ""}${e.message ?? String(err)}`);
    if (e.hint) logger.info(`hint: ${e.hint}`);
    if (process.env.OSMN_DEBUG) logger.error(err);
    process.exitCode = options.exitCodeFor?.(err) ?? 1;
  } finally {
    await db?.close();
  }
}
