import { loadConfig } from '../config';
import { migrateToLatest, openDatabase, type Db } from '../db/connect';
import { UserError } from '../errors';
import { parseCommandArgs, type CliResult } from './command';
import { commands } from './commands';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one command and returns what to print, so tests can call it in-process. Exits non-zero
 * with a one-line reason on any error.
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<CliOutcome> {
  const name = [2, 1].map((n) => argv.slice(0, n).join(' ')).find((n) => n in commands);
  if (!name) {
    const list = Object.values(commands).map((c) => `  ${c.usage}`).join('\n');
    const asked = argv.length > 0 ? `không có lệnh "${argv.slice(0, 2).join(' ')}"\n` : '';
    return { code: argv.length > 0 ? 2 : 0, stdout: argv.length > 0 ? '' : `Các lệnh:\n${list}\n`, stderr: argv.length > 0 ? `${asked}Các lệnh:\n${list}\n` : '' };
  }
  const command = commands[name];
  let db: Db | undefined;
  try {
    const { values, positionals } = parseCommandArgs(command, argv.slice(name.split(' ').length));
    const config = loadConfig(env, cwd);
    const actor = `cli:${env.USER ?? 'admin'}`;
    let result: CliResult;
    if (command.database === 'none') {
      result = await command.run({ config, actor }, values, positionals);
    } else {
      db = openDatabase(config.database);
      if (name !== 'migrate') await migrateToLatest(db);
      result = await command.run({ db, config, actor }, values, positionals);
    }
    return { code: result.exitCode ?? 0, stdout: (values.json ? JSON.stringify(result.json, null, 2) : result.text) + '\n', stderr: '' };
  } catch (error) {
    if (error instanceof UserError) {
      return { code: 1, stdout: '', stderr: `Lỗi: ${error.message.split('\n')[0]}\n${error.details.length > 0 ? error.details.slice(0, 50).map((d) => `  ${d}`).join('\n') + '\n' : ''}` };
    }
    return { code: 1, stdout: '', stderr: `Lỗi không mong đợi: ${(error as Error).message}\n` };
  } finally {
    await db?.destroy();
  }
}
