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

/** The top-level folder each relative import of a file lands in. */
function importedFolders(file: string): { specifier: string; folder: string }[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1]);
  return specifiers.map((specifier) => ({
    specifier,
    folder: path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)).split(path.sep)[0],
  }));
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

  it('keeps route files free of state shared between requests', () => {
    // Limiters, the group committer and caches are dependencies (server/app-env.ts), so that
    // tests and several server instances each get their own and nothing hides in a module.
    const stateful = sourceFiles('server/routes').filter((file) =>
      /^(let|var) |^const \w+ = new (Map|WeakMap|Set|\w*Limiter|\w*Committer)\b/m.test(fs.readFileSync(path.join(ROOT, file), 'utf8')),
    );
    expect(stateful).toEqual([]);
  });
});
