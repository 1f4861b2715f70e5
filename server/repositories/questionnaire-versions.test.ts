import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultQuestionnaire } from '../../analysis/questionnaire';
import { createTestDeps } from '../../test/support/test-deps';
import { insertWave } from './waves';
import { findQuestionnaire, insertQuestionnaireVersion } from './questionnaire-versions';

describe('stored questionnaire definitions', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeEach(async () => {
    deps = await createTestDeps();
    await insertWave(deps.db, { year: 2023, name: 'SIPAS 2023' });
  });
  afterEach(() => deps.cleanup());

  const store = (definition: unknown) =>
    deps.db.insertInto('questionnaire_versions').values({ wave_year: 2023, version: 'v', definition: JSON.stringify(definition), created_at: '2023-01-01' }).execute();

  it('reads back what was written, frozen, and the same object while the text is unchanged', async () => {
    await insertQuestionnaireVersion(deps.db, 2023, defaultQuestionnaire);
    const first = await findQuestionnaire(deps.db, 2023);
    expect(first).toEqual(defaultQuestionnaire);
    expect(await findQuestionnaire(deps.db, 2023)).toBe(first);
    expect(Object.isFrozen(first!.elements[0].criteria[0])).toBe(true);
    expect(Object.isFrozen(first!.comment)).toBe(true);
  });

  it('reads a definition written before the comment had its own place: the text item becomes the comment', async () => {
    const { comment, ...rest } = defaultQuestionnaire;
    await store({ ...rest, profile: [...rest.profile, { code: 'y_kien', label: 'Ý kiến, góp ý khác', kind: 'text', options: [] }] });
    const read = await findQuestionnaire(deps.db, 2023);
    expect(read?.profile).toEqual(defaultQuestionnaire.profile);
    expect(read?.comment).toEqual({ code: 'y_kien', label: 'Ý kiến, góp ý khác', maxLength: comment.maxLength });
  });

  it('refuses a stored definition that is not a valid questionnaire, naming the column and the problems', async () => {
    await store({ ...defaultQuestionnaire, elements: [] });
    await expect(findQuestionnaire(deps.db, 2023)).rejects.toThrowError(/questionnaire_versions\.definition: .*phiếu không có yếu tố nào/s);
    await store({ ...defaultQuestionnaire, profile: [{ code: 'gender', label: 'Giới tính', kind: 'ranking', options: [] }] });
    await expect(findQuestionnaire(deps.db, 2023)).rejects.toThrowError(/questionnaire_versions\.definition/);
  });
});
