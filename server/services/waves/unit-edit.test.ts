import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps } from '../../../test/support/test-deps';
import { writeTransaction } from '../../db/unit-of-work';
import { listUnits, replaceUnits } from '../../repositories/units';
import { updateWaveStatus } from '../../repositories/waves';
import { editUnit, type UnitEditFields } from './unit-edit';
import { createWave } from './waves';
import { refusal } from '../../../test/support/refusal';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
beforeEach(async () => {
  deps = await createTestDeps();
  await createWave(deps.db, { year: 2024, actor: 'test' });
  await replaceUnits(deps.db, 2024, [
    { code: 'SNNPTNT', name: 'Sở Nông nghiệp và Phát triển nông thôn', kind: 'department', predecessors: null },
    { code: 'STNMT', name: 'Sở Tài nguyên và Môi trường', kind: 'department', predecessors: null },
  ]);
  await createWave(deps.db, { year: 2025, copyFrom: 2024, actor: 'test' });
});
afterEach(() => deps.cleanup());

const edit = (code: string, fields: UnitEditFields, year = 2025) => writeTransaction(deps.db, (trx) => editUnit(trx, year, code, fields, 'test'));


describe('editing a unit', () => {
  it("records a merger under last year's codes, typed with commas, any case, NFC", async () => {
    const name = 'Sở Nông nghiệp và Môi trường'.normalize('NFD');
    const unit = await edit('SNNPTNT', { name: ` ${name} `, kind: 'department', predecessors: 'snnptnt, STNMT' });
    expect(unit).toEqual({ code: 'SNNPTNT', name: name.normalize('NFC'), kind: 'department', predecessors: ['SNNPTNT', 'STNMT'] });
    expect((await listUnits(deps.db, 2025))[0]).toEqual(unit);
    await edit('STNMT', { name: 'Sở mới', kind: 'department', predecessors: '-' });
    expect((await listUnits(deps.db, 2025))[1].predecessors).toEqual([]);
    const audit = await deps.db.selectFrom('audit_log').select(['action', 'wave_year']).where('action', '=', 'unit.edit').execute();
    expect(audit).toEqual([
      { action: 'unit.edit', wave_year: 2025 },
      { action: 'unit.edit', wave_year: 2025 },
    ]);
  });

  it("refuses codes last year's wave does not have, a missing name and an unknown kind, all at once, and saves nothing", async () => {
    const before = await listUnits(deps.db, 2025);
    const error = await refusal(edit('STNMT', { name: ' ', kind: 'ministry', predecessors: 'STNMT, SXD, SGTVT' }));
    expect(error.fields).toEqual([
      { field: 'name', message: 'Cần tên đơn vị' },
      { field: 'kind', message: 'Hãy chọn loại đơn vị' },
      { field: 'predecessors', message: 'Đợt 2024 không có đơn vị mã SXD, SGTVT' },
    ]);
    expect(await listUnits(deps.db, 2025)).toEqual(before);
  });

  it('takes any well-formed code when last year is not in the system', async () => {
    await replaceUnits(deps.db, 2024, []);
    await deps.db.deleteFrom('questionnaire_versions').where('wave_year', '=', 2024).execute();
    await deps.db.deleteFrom('waves').where('year', '=', 2024).execute();
    expect((await edit('STNMT', { name: 'Sở Tài nguyên', kind: 'department', predecessors: 'ABC; kg-stnmt' })).predecessors).toEqual(['ABC', 'KG-STNMT']);
    expect((await refusal(edit('STNMT', { name: 'Sở Tài nguyên', kind: 'department', predecessors: 'A_B' }))).fields[0].field).toBe('predecessors');
  });

  it('is refused once the wave is drawn, and for a code the wave does not have', async () => {
    expect((await refusal(edit('XYZ', { name: 'X', kind: 'department', predecessors: '' }))).status).toBe(404);
    await updateWaveStatus(deps.db, 2025, 'drawn');
    const drawn = await refusal(edit('STNMT', { name: 'Sở Tài nguyên', kind: 'department', predecessors: '' }));
    expect([drawn.status, drawn.message]).toEqual([409, 'Đợt 2025 đã bốc mẫu: không thay danh sách đơn vị được nữa']);
  });
});
