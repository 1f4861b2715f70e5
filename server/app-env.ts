import type { Config } from './config';
import type { Db } from './db/connect';
import type { User } from './repositories/users';

/** What createApp receives instead of importing globals, so tests hand in their own. */
export interface AppDeps {
  db: Db;
  config: Config;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    user: User | null;
  };
}
