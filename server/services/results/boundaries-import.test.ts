import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anGiangGeoJson } from '../../../test/support/commune-wave';
import { createTestDeps } from '../../../test/support/test-deps';
import { writeTransaction } from '../../db/unit-of-work';
import { listAudit } from '../../repositories/audit';
import { findUnitBoundaries } from '../../repositories/unit-boundaries';
import { replaceUnits } from '../../repositories/units';
import { updateWaveStatus } from '../../repositories/waves';
import { createWave } from '../waves/waves';
import { importBoundaries, waveBoundaries } from './boundaries-import';
import { refusal } from '../../../test/support/refusal';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
beforeEach(async () => {
  deps = await createTestDeps();
  await createWave(deps.db, { year: 2025, actor: 'test' });
  await replaceUnits(deps.db, 2025, [
    { code: 'SNV', name: 'Sở Nội vụ', kind: 'department', predecessors: null },
    { code: '30292', name: 'Phường Bình Đức', kind: 'commune', predecessors: null },
    { code: '30307', name: 'Phường Mỹ Thới', kind: 'commune', predecessors: null },
    { code: '99999', name: 'Xã Chưa Vẽ', kind: 'commune', predecessors: null },
  ]);
});
afterEach(() => deps.cleanup());

const square = { type: 'Polygon', coordinates: [[[105.4, 10.3], [105.5, 10.3], [105.5, 10.4], [105.4, 10.3]]] };
const bytesOf = (value: unknown) => (value instanceof Uint8Array ? value : new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)));
const feature = (properties: Record<string, unknown>, geometry: unknown = square) => ({ type: 'Feature', properties, geometry });

const run = (value: unknown, fileName = 'xa-phuong.geojson', now = new Date('2025-09-01T03:00:00Z')) =>
  writeTransaction(deps.db, (trx) => importBoundaries(trx, 2025, { bytes: bytesOf(value), fileName }, 'admin-test', now));


describe('importBoundaries', () => {
  it('refuses text that is not JSON, saying on which line and column it breaks', async () => {
    const error = await refusal(run('{\n  "type": "FeatureCollection",\n  "features": [,]\n}'));
    expect(error.message).toBe(
      'Tệp ranh giới không phải JSON hợp lệ: lỗi ở dòng 3, cột 16. Hãy mở tệp bằng trình soạn thảo hoặc xuất lại từ phần mềm bản đồ.',
    );
    expect((await refusal(run('{"type": "FeatureCollection", "features": ['))).message).toContain('tệp bị cắt ngang');
    expect((await refusal(run('{"type": "FeatureCollection",\n "features": [],\n}'))).message).toContain('lỗi ở dòng 3, cột 1.');
    expect((await refusal(run('{"type": "FeatureCollection", "features": [{"type": tru}]}'))).message).toContain('lỗi ở dòng 1, cột 53.');
    expect(await findUnitBoundaries(deps.db, 2025)).toBeNull();
  });

  it('refuses JSON that is not a FeatureCollection, and a file without one usable outline', async () => {
    expect((await refusal(run({ type: 'Feature', properties: { code: '30292' }, geometry: square }))).message).toBe(
      'Tệp ranh giới phải là GeoJSON dạng FeatureCollection (mỗi xã, phường một Feature có properties.code)',
    );
    const empty = await refusal(run({ type: 'FeatureCollection', features: [feature({ name: 'Không mã' })] }));
    expect(empty.message).toBe('Tệp ranh giới không có vùng nào dùng được: Vùng thứ 1: thiếu mã đơn vị (properties.code)');
    expect(await refusal(run(new Uint8Array([0xff, 0xfe, 0x00, 0xd8])))).toMatchObject({ message: expect.stringContaining('UTF-8') });
    expect(await findUnitBoundaries(deps.db, 2025)).toBeNull();
  });

  it('reports skipped features, outlines matching no commune and communes without an outline, by name', async () => {
    const report = await run({
      type: 'FeatureCollection',
      features: [
        feature({ code: 30292, name: 'Phường Bình Đức' }),
        feature({ code: '30307', name: 'Phường Mỹ Thới' }),
        feature({ code: '31000', name: 'Xã Ngoài Tỉnh' }),
        feature({ code: '30316' }, { type: 'Point', coordinates: [105, 10] }),
      ],
    });
    expect(report).toMatchObject({
      fileName: 'xa-phuong.geojson',
      featureCount: 4,
      shapesRead: 3,
      problems: ['Vùng thứ 4 (mã 30316): hình không phải Polygon/MultiPolygon hợp lệ'],
      kind: 'commune',
      shapesWithoutUnit: [{ code: '31000', name: 'Xã Ngoài Tỉnh' }],
      unitsWithoutShape: [{ code: '99999', name: 'Xã Chưa Vẽ' }],
      importedAt: '2025-09-01T03:00:00.000Z',
      importedBy: 'admin-test',
    });
    const [audit] = await listAudit(deps.db, 2025, 1);
    expect(audit).toMatchObject({ actor: 'admin-test', action: 'boundaries.import', detail: { shapes: 3, skipped: 1, shapesWithoutUnit: 1, unitsWithoutShape: 1 } });
    expect(JSON.stringify(audit.detail)).not.toContain('105.4');
  });

  it('replaces the wave’s boundaries, keeps the file as uploaded in NFC, and reads them back', async () => {
    await run({ type: 'FeatureCollection', features: [feature({ code: '30292', name: 'Phường Bình Đức' })] }, 'cu.geojson');
    const decomposed = 'Phường Mỹ Thới'.normalize('NFD');
    await run(`\uFEFF${JSON.stringify(anGiangGeoJson()).replace('Phường Mỹ Thới', decomposed)}`, 'an-giang-2025-communes.geojson');
    const stored = await findUnitBoundaries(deps.db, 2025);
    expect(stored).toMatchObject({ fileName: 'an-giang-2025-communes.geojson', featureCount: 102 });
    expect(stored!.geojson).toContain('"Phường Mỹ Thới"');
    expect(stored!.geojson).not.toContain(decomposed);
    expect(stored!.geojson.startsWith('{')).toBe(true);
    expect(await deps.db.selectFrom('unit_boundaries').select('wave_year').execute()).toHaveLength(1);
    const read = await waveBoundaries(deps.db, 2025);
    expect(read!.file.shapes).toHaveLength(102);
    expect(read!.report.shapesWithoutUnit).toHaveLength(100);
    expect(read!.report.unitsWithoutShape).toEqual([{ code: '99999', name: 'Xã Chưa Vẽ' }]);
  });

  it('is allowed on a closed wave (the map only draws its figures), and refuses an oversized file before reading it', async () => {
    await updateWaveStatus(deps.db, 2025, 'closed');
    expect((await run({ type: 'FeatureCollection', features: [feature({ code: '30292' })] })).shapesRead).toBe(1);
    const huge = new Uint8Array(20 * 1024 * 1024 + 1);
    const error = await refusal(writeTransaction(deps.db, (trx) => importBoundaries(trx, 2025, { bytes: huge, fileName: 'x.geojson' }, 'admin-test')));
    expect(error.status).toBe(413);
  });
});
