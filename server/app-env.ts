import type { Config } from './config';
import type { Db } from './db/connect';
import type { User } from './repositories/users';
import type { Wave } from './repositories/waves';
import type { SignInLimits } from './services/accounts/sign-in';
import { AttemptLimiter, attemptKeySecret } from './services/collection/attempt-limiter';
import { GroupCommitter } from './services/collection/group-commit';
import { ResultsCache, ResultsWorker } from './services/results/results-cache';
import type { ShortLinkLimits } from './services/collection/short-link';

/**
 * What createApp and every router factory receive instead of importing globals: tests hand in
 * their own. Everything a process holds in memory between requests is here, nowhere else; what
 * every instance must share (attempt counts included) is in the database.
 */
export interface AppDeps {
  db: Db;
  config: Config;
  /** Citizens' QR submissions arriving together share one transaction and one fsync. */
  committer: GroupCommitter;
  /** Failed code + access-key pairs at /k: 10 per client address in 15 min, 10 per code in an hour. */
  shortLinkLimits: ShortLinkLimits;
  /**
   * Failed sign-ins: 10 per account in 15 min, 30 per client address in 15 min (a post office
   * behind one address has several clerks who mistype).
   */
  signInLimits: SignInLimits;
  /**
   * The time of day for rules that compare dates (a draw commitment must come before the
   * public drawing it names, the draw after it). Real time; a test moves it a day ahead
   * instead of waiting for the lottery.
   */
  clock: () => Date;
  /**
   * Wave results, computed off the event loop in a worker thread and reused while nothing they
   * are computed from has changed (services/results/results-cache.ts); `results.close()` ends the thread.
   */
  results: ResultsCache;
}

export function createAppDeps({ db, config }: { db: Db; config: Config }): AppDeps {
  const keys = attemptKeySecret(db);
  return {
    db,
    config,
    committer: new GroupCommitter(db),
    shortLinkLimits: {
      byClient: new AttemptLimiter(db, keys, 'short-link.client', 10, 15 * 60_000),
      byCode: new AttemptLimiter(db, keys, 'short-link.code', 10, 60 * 60_000),
    },
    signInLimits: {
      byAccount: new AttemptLimiter(db, keys, 'sign-in.account', 10, 15 * 60_000),
      byClient: new AttemptLimiter(db, keys, 'sign-in.client', 30, 15 * 60_000),
    },
    clock: () => new Date(),
    results: new ResultsCache(db, new ResultsWorker(config.database)),
  };
}

/** A signed-in person, with the form token their session's pages carry (middleware/cross-site.ts). */
export type SessionUser = User & { formToken: string };

export interface AppEnv {
  Variables: {
    user: SessionUser | null;
  };
}

/** Routes under /waves/:year: the wave is loaded once by the loadWave middleware (404 when missing). */
export interface WaveEnv {
  Variables: AppEnv['Variables'] & { wave: Wave };
}
