import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Config } from '../config';
import type { Db } from '../db/connect';
import { UserError } from '../errors';

export interface CliContext {
  db: Db;
  config: Config;
  /** The account name written to the audit log for this command. */
  actor: string;
}

export interface CliResult {
  /** A short human summary. */
  text: string;
  /** The machine-readable result printed with --json. */
  json: unknown;
  /** Non-zero when the command ran but its answer is "no" (e.g. `draw verify` finding a difference). */
  exitCode?: number;
}

interface CommandOf<Context> {
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(ctx: Context, values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<CliResult>;
}

/**
 * A command runs on the configured database (DATABASE_URL, else ./data/sipas.db), opened and
 * migrated before it starts, unless it declares `database: 'none'`: a command that opens the
 * databases named on its command line (migrate-data) must not create or migrate one it never uses.
 */
export type CliCommand = (CommandOf<CliContext> & { database?: 'configured' }) | (CommandOf<Omit<CliContext, 'db'>> & { database: 'none' });

export function parseCommandArgs(command: CliCommand, args: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...command.options, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new UserError(`${(error as Error).message}. Cách dùng: ${command.usage}`);
  }
}

export function requireOption(values: Record<string, string | boolean | undefined>, name: string, usage: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UserError(`thiếu --${name}. Cách dùng: ${usage}`);
  return value.trim();
}

/** The year given as `--wave 2023` (or `--year 2024 --copy-from 2023` when creating the wave). */
export function requireYear(values: Record<string, string | boolean | undefined>, usage: string, option: 'wave' | 'year' | 'copy-from' = 'wave'): number {
  const raw = requireOption(values, option, usage);
  const year = Number(raw);
  if (!Number.isInteger(year)) throw new UserError(`--${option} "${raw}" không phải là năm`);
  return year;
}

/** The bytes of the input file named on the command line (`units import … <units.csv>`). */
export function readInputFile(file: string | undefined, usage: string): Buffer {
  if (!file) throw new UserError(`thiếu tệp. Cách dùng: ${usage}`);
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new UserError(`không đọc được tệp ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
