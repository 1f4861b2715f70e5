import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps } from '../../../test/support/test-deps';
import { replaceUnits } from '../../repositories/units';
import { resultsVersion } from '../../repositories/results-versions';
import { ResultsCache, type ResultsComputer } from './results-cache';
import type { ResultsSnapshot } from './results-snapshot';
import { createWave } from '../waves/waves';

/**
 * The cache's rules with computations the test finishes by hand (the worker thread itself is
 * exercised in test/results-cache.test.ts), over a real database's change counter.
 */
describe('ResultsCache', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let started: { year: number; resolve: (s: ResultsSnapshot) => void; reject: (e: Error) => void }[];
  let cache: ResultsCache;

  let builds: string[];
  let onStart: () => void;
  const computer: ResultsComputer = {
    compute: (year) =>
      new Promise((resolve, reject) => {
        started.push({ year, resolve, reject });
        onStart();
      }),
    build: async (_results, request) => {
      builds.push(request.format);
      if (request.format === 'json') throw new Error('build failed');
      return { body: request.format, contentType: 'text/plain', fileName: `x.${request.format}` };
    },
    start: () => {},
    close: async () => {},
  };
  /** A stand-in for a computation of the database as it is now: only its version matters here. */
  const snapshotNow = async () => ({ version: await resultsVersion(deps.db, 2023) }) as ResultsSnapshot;
  const changeUnits = (name: string) => replaceUnits(deps.db, 2023, [{ code: 'SNV', name, kind: 'department', predecessors: null }]);
  /** Until the cache has started `count` computations in all. */
  const startedCount = (count: number) =>
    new Promise<void>((resolve) => {
      onStart = () => started.length >= count && resolve();
      onStart();
    });

  beforeEach(async () => {
    deps = await createTestDeps();
    await createWave(deps.db, { year: 2023, actor: 'test' });
    started = [];
    builds = [];
    cache = new ResultsCache(deps.db, computer);
  });
  afterEach(() => deps.cleanup());

  it('gives requests arriving during a computation that computation', async () => {
    const requests = [cache.get(2023), cache.get(2023), cache.get(2023)];
    await startedCount(1);
    const snapshot = await snapshotNow();
    started[0].resolve(snapshot);
    expect(await Promise.all(requests)).toEqual([snapshot, snapshot, snapshot]);
    expect(await cache.get(2023)).toBe(snapshot);
    expect(cache.computations).toBe(1);
  });

  it('starts one new computation for requests after a change, once the running one ends', async () => {
    const early = cache.get(2023);
    await startedCount(1);
    const before = await snapshotNow();
    await changeUnits('Sở Nội vụ (đổi tên)');
    const late = [cache.get(2023), cache.get(2023)];
    started[0].resolve(before);
    expect(await early).toBe(before);
    await startedCount(2);
    const after = await snapshotNow();
    expect(after.version).toBeGreaterThan(before.version);
    started[1].resolve(after);
    expect(await Promise.all(late)).toEqual([after, after]);
    expect(await cache.get(2023)).toBe(after);
    expect(cache.computations).toBe(2);
  });

  it('forgets a failed computation', async () => {
    const failing = cache.get(2023);
    await startedCount(1);
    started[0].reject(new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    const retry = cache.get(2023);
    await startedCount(2);
    const snapshot = await snapshotNow();
    started[1].resolve(snapshot);
    expect(await retry).toBe(snapshot);
  });

  it('builds each download once per computation, and again after a failed build', async () => {
    const request = cache.get(2023);
    await startedCount(1);
    started[0].resolve(await snapshotNow());
    const snapshot = await request;
    const files = await Promise.all([cache.exportOf(snapshot, { format: 'xlsx', subtitle: 'a' }), cache.exportOf(snapshot, { format: 'xlsx', subtitle: 'a' })]);
    expect(files.map((f) => f.body)).toEqual(['xlsx', 'xlsx']);
    await cache.exportOf(snapshot, { format: 'html', subtitle: 'a' });
    await expect(cache.exportOf(snapshot, { format: 'json', subtitle: 'a' })).rejects.toThrow('build failed');
    await expect(cache.exportOf(snapshot, { format: 'json', subtitle: 'a' })).rejects.toThrow('build failed');
    expect(builds).toEqual(['xlsx', 'html', 'json', 'json']);
  });

  it('keeps one computation per wave, each with its own counter', async () => {
    await createWave(deps.db, { year: 2030, actor: 'test' });
    const [a, b] = [cache.get(2023), cache.get(2030)];
    await startedCount(2);
    expect(started.map((s) => s.year).sort()).toEqual([2023, 2030]);
    for (const { year, resolve } of started) resolve({ version: await resultsVersion(deps.db, year) } as ResultsSnapshot);
    await Promise.all([a, b]);
    // A change to 2030 leaves 2023's results as they were.
    await replaceUnits(deps.db, 2030, [{ code: 'SNV', name: 'Sở Nội vụ', kind: 'department', predecessors: null }]);
    await cache.get(2023);
    expect(started).toHaveLength(2);
  });
});
