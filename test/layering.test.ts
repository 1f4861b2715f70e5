import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function sourceFiles(folder: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts') && !f.endsWith('.test.tsx'))
    .map((f) => path.join(folder, f));
}

/** Where each relative import of a file lands, as a path from the repository's root. */
function importedPaths(file: string): { specifier: string; target: string }[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1]);
  return specifiers.map((specifier) => ({ specifier, target: path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)).split(path.sep).join('/') }));
}

/** The top-level folder each relative import of a file lands in. */
function importedFolders(file: string): { specifier: string; folder: string }[] {
  return importedPaths(file).map(({ specifier, target }) => ({ specifier, folder: target.split('/')[0] }));
}

describe('layering (README, Layout)', () => {
  it.each([
    ['survey-web', ['server', 'test', 'bench']],
    ['sampling', ['server', 'survey-web', 'analysis', 'test', 'bench']],
    ['analysis', ['server', 'survey-web', 'test', 'bench']],
  ])('%s imports nothing from %j', (folder, forbidden) => {
    const crossings = sourceFiles(folder).flatMap((file) =>
      importedFolders(file)
        .filter((i) => forbidden.includes(i.folder))
        .map((i) => `${file} → ${i.specifier}`),
    );
    expect(crossings).toEqual([]);
  });

  // Inside server/, each layer imports only the layers below it: routes and cli → services →
  // forms (input codecs) → repositories → db (README, Layout).
  it.each([
    ['server/services', ['server/routes', 'server/cli', 'server/middleware', 'server/app-env', 'server/app']],
    ['server/forms', ['server/services', 'server/routes', 'server/cli', 'server/middleware']],
    ['server/repositories', ['server/services', 'server/forms', 'server/routes', 'server/cli', 'server/middleware']],
    ['server/db', ['server/repositories', 'server/services', 'server/forms', 'server/routes', 'server/cli', 'server/middleware']],
  ])('%s imports nothing from %j', (folder, forbidden) => {
    const crossings = sourceFiles(folder).flatMap((file) =>
      importedPaths(file)
        .filter((i) => forbidden.some((f) => i.target === f || i.target.startsWith(`${f}/`)))
        .map((i) => `${file} → ${i.specifier}`),
    );
    expect(crossings).toEqual([]);
  });

  it('keeps route files free of state shared between requests', () => {
    // Limiters, the group committer and caches are dependencies (server/app-env.ts), so that
    // tests and several server instances each get their own and nothing hides in a module.
    const stateful = sourceFiles('server/routes').filter((file) =>
      /^(let|var) |^const \w+ = new (Map|WeakMap|Set|\w*Limiter|\w*Committer)\b/m.test(fs.readFileSync(path.join(ROOT, file), 'utf8')),
    );
    expect(stateful).toEqual([]);
  });
});
