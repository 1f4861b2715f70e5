import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import type { Role } from '../server/db/schema';
import { ACCESS, WHO } from './support/access-table';
import { snapshotTables } from './support/db-snapshot';
import { CRITERIA } from './support/personal-data';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps, signInSession, type StaffSession } from './support/test-deps';

/**
 * Property-based fuzzing (fast-check, fixed seed, bounded runs) of every form handler: each POST
 * route the app serves (read from `app.routes`, so a new one is fuzzed without a line here),
 * sent arbitrary field names, values, encodings and Origin headers, by a stranger and by each
 * role. Whatever arrives, the answer is never a 500, and a refusal (4xx) leaves every table
 * exactly as it was.
 */

const SEED = 10_102_023;
const RUNS_PER_ROUTE = 12;

/** Field names the handlers read, so arbitrary values reach past the first check. */
const KNOWN_FIELDS = [
  'username', 'password', 'next', 'code', 'key', 'opened_at', 'corrections', 'outcome', 'confirm', 'drawId', 'seed', 'allocation', 'perUnit', 'total', 'min', 'max',
  'marginMax', 'margin', 'reserve', 'redraw', 'reason', 'strict', 'file', 'unit', 'on', 'doubleEntry', 'periodFrom', 'periodTo', 'excludeOrganisations', 'parMax',
  'minRespondents', 'validShare', 'incomplete_ok', 'gender', 'age_band', 'priorities', 'comment', 'choice_A1', 'other_A1', ...CRITERIA,
];

const value = fc.oneof(
  fc.constantFrom('', '1', '0', '5', '6', '-1', '1e400', 'NaN', 'on', 'off', '1,5', 'pass1', 'pass2', 'other', 'margin', 'fixed', 'proportional', '2023-01-01', '2023-13-45', '//evil.example', '/\\evil.example', '\u0000', '\uFEFF', '<script>', '"; --', 'Nguyễn', 'undeliverable', 'refused'),
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 16 }),
);
/**
 * Refusals that are themselves recorded, which is the point of refusing them: a failed sign-in in
 * the audit log, and every failed password or code + key pair in the attempt counts.
 */
const RECORDS_REFUSAL: Record<string, string[]> = { '/dang-nhap': ['audit_log', 'attempts'], '/k': ['attempts'], '/tai-khoan/mat-khau': ['attempts'] };

const fieldName = fc.oneof(fc.constantFrom(...KNOWN_FIELDS), fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'a[]', 'a[b]', ''));
const fields = fc.array(fc.tuple(fieldName, value), { maxLength: 12 });

/** A request body in one of the ways a browser, a script or an attacker sends one. */
const body = fc.oneof(
  fields.map((pairs) => ({ kind: 'urlencoded' as const, pairs })),
  fc.record({ pairs: fields, files: fc.array(fc.tuple(fc.constantFrom('file', 'upload', ''), fc.uint8Array({ maxLength: 80 }), fc.string({ maxLength: 10 })), { maxLength: 2 }) }).map((m) => ({ kind: 'multipart' as const, ...m })),
  fc.record({
    contentType: fc.constantFrom('application/json', 'text/plain', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded; charset=utf-16', 'application/octet-stream', '', 'garbage;;=', 'multipart/form-data; boundary='),
    bytes: fc.uint8Array({ maxLength: 120 }),
  }).map((r) => ({ kind: 'raw' as const, ...r })),
);

type SentBody = typeof body extends fc.Arbitrary<infer T> ? T : never;

function encode(b: SentBody): { body: RequestInit['body']; headers: Record<string, string> } {
  if (b.kind === 'urlencoded') {
    const params = new URLSearchParams();
    for (const [k, v] of b.pairs) params.append(k, v);
    return { body: params, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  if (b.kind === 'multipart') {
    const form = new FormData();
    for (const [k, v] of b.pairs) form.append(k, v);
    for (const [k, bytes, name] of b.files) form.append(k, new Blob([bytes]), name || 'f.csv');
    return { body: form, headers: {} };
  }
  return { body: b.bytes, headers: b.contentType ? { 'content-type': b.contentType } : {} };
}

describe('every form handler under arbitrary input', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let app: ReturnType<typeof createApp>;
  let sessions: Record<Role, StaffSession>;
  let questionnaires: PublishedQuestionnaire[];
  let postRoutes: string[];

  beforeAll(async () => {
    deps = await createTestDeps();
    ({ questionnaires } = await createPublishedWave(deps.db, { perUnit: 3, reserves: 1 }));
    app = createApp(deps);
    sessions = {} as Record<Role, StaffSession>;
    for (const role of ['admin', 'analyst', 'clerk', 'supervisor'] as Role[]) sessions[role] = await signInSession(deps, role);
    postRoutes = [...new Set(app.routes.filter((r) => r.method === 'POST').map((r) => r.path))];
  });
  afterAll(() => deps.cleanup());

  it('finds the form handlers', () => {
    expect(postRoutes).toContain('/q/:token');
    expect(postRoutes).toContain('/waves/:year/entry/forms');
    expect(postRoutes.length).toBeGreaterThanOrEqual(15);
  });

  it('never answers 500 and never writes half of a refused request', { timeout: 90_000 }, async () => {
    const pathFor = (route: string, pick: { q: number; year: string; token: string; id: string }) => {
      const q = questionnaires[pick.q % questionnaires.length];
      return route
        .replace(':year', pick.year === 'real' ? '2023' : pick.year)
        .replace(':token', pick.token === 'real' ? q.token : encodeURIComponent(pick.token))
        .replace(':id', pick.id === 'real' ? String(q.id) : encodeURIComponent(pick.id));
    };
    let signOuts = 0;
    for (const [i, route] of postRoutes.entries()) {
      // Mostly someone the route lets in, so the input reaches the handler; sometimes anyone else.
      const rule = ACCESS[`POST ${route}`]?.who ?? 'everyone';
      const who = fc.oneof({ arbitrary: fc.constantFrom(...(rule === 'everyone' ? WHO : rule)), weight: 4 }, { arbitrary: fc.constantFrom(...WHO), weight: 1 });
      await fc.assert(
        fc.asyncProperty(
          who,
          fc.record({ q: fc.nat(), year: fc.oneof({ arbitrary: fc.constant('real'), weight: 6 }, { arbitrary: fc.constantFrom('2022', 'abc', '99999999999999999999'), weight: 1 }), token: fc.oneof({ arbitrary: fc.constant('real'), weight: 3 }, { arbitrary: fc.string({ maxLength: 8 }), weight: 1 }), id: fc.oneof(fc.constant('real'), fc.constantFrom('0', '-1', '1.5', 'x', '1e3')) }),
          body,
          fc.constantFrom('text/html', 'application/json'),
          // Mostly with the session's form token, so the input reaches the handler; sometimes without, as a forged request.
          fc.constantFrom(true, true, true, false),
          // What browsers, scripts and forgers put in Origin: a malformed one must be refused, not crash.
          fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.oneof(fc.constantFrom('null', 'http://localhost', 'http://evil.example', 'http://', 'not a url', '%', 'http://[::1', 'file://'), fc.string({ maxLength: 12 })), weight: 1 }),
          async (who, pick, sent, accept, withToken, origin) => {
            const path = pathFor(route, pick);
            const { body: encoded, headers } = encode(sent);
            // Signing out ends the session: use one of its own so the other runs stay signed in.
            const session = who === 'anonymous' ? undefined : route === '/dang-xuat' ? await signInSession(deps, who, `${who}-out-${++signOuts}`) : sessions[who];
            const before = await snapshotTables(deps.db);
            const sentHeaders: Record<string, string> = { ...headers, accept };
            if (session) Object.assign(sentHeaders, withToken ? session : { cookie: session.cookie });
            if (origin !== undefined) sentHeaders.origin = origin;
            const response = await app.request(path, { method: 'POST', body: encoded, headers: sentHeaders });
            await response.arrayBuffer();
            const where = `${who} POST ${path} (${sent.kind})`;
            if (response.status >= 500) throw new Error(`${where}: ${response.status}`);
            if (response.status >= 400) {
              const after = await snapshotTables(deps.db);
              const changed = Object.keys(after).filter((table) => after[table] !== before[table] && !RECORDS_REFUSAL[route]?.includes(table));
              if (changed.length > 0) throw new Error(`${where}: refused with ${response.status} but changed ${changed.join(', ')}`);
            }
          },
        ),
        { seed: SEED + i, numRuns: RUNS_PER_ROUTE },
      );
    }
  });
});
