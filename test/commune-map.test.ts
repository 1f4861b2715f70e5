import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { runCli } from '../server/cli/run-cli';
import { anGiangGeoJson, AN_GIANG_GEOJSON_FILE, createCommuneWave } from './support/commune-wave';
import { createTestDeps, signInSession, type StaffSession } from './support/test-deps';

/** The commune whose outline the uploaded file leaves out. */
const MISSING = '30292';
/** Communes without answers: grey on the map. */
const UNANSWERED = ['30307', '30313'];

describe('the communes’ map of a merged province (An Giang 2025)', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let admin: StaffSession;
  let analyst: StaffSession;
  let app: ReturnType<typeof createApp>;
  const page = async (session: StaffSession, url = '/waves/2025/analysis') => (await app.request(url, { headers: { ...session } })).text();
  const upload = (session: StaffSession, text: string, name = 'xa-phuong.geojson') => {
    const form = new FormData();
    form.set('file', new File([text], name, { type: 'application/geo+json' }));
    return app.request('/waves/2025/analysis/boundaries', { method: 'POST', body: form, headers: { ...session } });
  };

  beforeAll(async () => {
    deps = await createTestDeps();
    await createCommuneWave(deps.db, { unanswered: UNANSWERED });
    admin = await signInSession(deps, 'admin');
    analyst = await signInSession(deps, 'analyst');
    app = createApp(deps);
  });
  afterAll(() => deps.cleanup());

  it('has no map before boundaries are uploaded; admins get the form and a hint, analysts neither', async () => {
    const forAdmin = await page(admin);
    expect(forAdmin).not.toContain('class="commune-map"');
    expect(forAdmin).toContain('<h2 id="boundaries-heading">Ranh giới xã, phường (GeoJSON)</h2>');
    expect(forAdmin).toContain(`action="/waves/2025/analysis/boundaries?_token=${admin['x-sipas-token']}"`);
    expect(forAdmin).toContain('Chưa có bản đồ xã, phường');
    const forAnalyst = await page(analyst);
    expect(forAnalyst).not.toContain('boundaries-heading');
    expect(forAnalyst).not.toContain('Chưa có bản đồ');
  });

  it('refuses the upload to an analyst, and a file that is not JSON with its line and column', async () => {
    expect((await upload(analyst, JSON.stringify(anGiangGeoJson()))).status).toBe(403);
    const bad = await upload(admin, '{"type": "FeatureCollection",\n  "features": [}');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Tệp ranh giới không phải JSON hợp lệ: lỗi ở dòng 2, cột 16.');
    expect(await deps.db.selectFrom('unit_boundaries').select('wave_year').execute()).toEqual([]);
  });

  it('accepts an upload larger than the CSV limit (16 MB) up to 20 MB', async () => {
    const padded = (megabytes: number) => `{"type": "FeatureCollection", "features": [${' '.repeat(megabytes * 1024 * 1024)}}`;
    const large = await upload(admin, padded(17));
    expect(large.status).toBe(400);
    expect(await large.text()).toContain('Tệp ranh giới không phải JSON hợp lệ: lỗi ở dòng 1, cột');
    const tooLarge = await upload(admin, padded(21));
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.text()).toContain('tối đa 20 MB');
  });

  it('imports the outlines as an admin and reports the commune left without one', async () => {
    const response = await upload(admin, JSON.stringify(anGiangGeoJson([MISSING])));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Đã nhập ranh giới: 101 vùng; 1 đơn vị chưa có ranh giới (xem danh sách ở cuối trang).');
    expect(html).toMatch(/Tệp xa-phuong\.geojson, nhập lúc \d\d:\d\d:\d\d \d+\/\d+\/\d{4} bởi admin-test: 101 vùng đọc được\./);
    expect(html).toContain('<summary>Đơn vị chưa có ranh giới (1)</summary><ul><li>UBND Phường Bình Đức (30292)</li></ul>');
  });

  it('draws one path per commune with an outline, coloured by band, with its name and index as title and in the list', async () => {
    const html = await page(analyst);
    const svg = /<svg[^>]*class="commune-map"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    const paths = [...svg.matchAll(/<path [^>]*data-code="(\d+)" data-band="(\w+)"><title>([^<]*)<\/title><\/path>/g)];
    expect(paths).toHaveLength(101);
    expect(paths.map((p) => p[1])).not.toContain(MISSING);
    expect(new Set(paths.map((p) => p[2]))).toEqual(new Set(['high', 'mid', 'low', 'none']));
    expect(paths.find((p) => p[1] === UNANSWERED[0])).toMatchObject({ 2: 'none', 3: 'UBND Phường Long Xuyên: chưa có số liệu' });
    const titled = paths.find((p) => p[2] === 'high')!;
    expect(titled[3]).toMatch(/^UBND .+: \d{2,3},\d\d %$/);
    expect(svg).toContain('<text x="24" y="');
    expect(svg).toContain('>Từ 90 % trở lên</text>');
    // The same name and index in the list beside the map, the missing commune named under it.
    const list = /<div class="map-list"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    expect(list).toContain('Xã, phường trên bản đồ');
    expect([...list.matchAll(/<tr><td>\d+<\/td>/g)]).toHaveLength(102);
    expect(list).toContain(`<td>${titled[1]}</td><td>${titled[3].split(': ')[0]}</td><td class="num">${titled[3].split(': ')[1]}</td>`);
    expect(html).toContain('<p class="without-shape">Chưa có ranh giới trên bản đồ (1): UBND Phường Bình Đức (30292).</p>');
    // Departments only: no map.
    expect(await page(analyst, '/waves/2025/analysis?kind=department')).not.toContain('class="commune-map"');
  });

  it('opens the charts of the printed report with the map', async () => {
    const report = await (await app.request('/waves/2025/analysis/report.html', { headers: { ...analyst } })).text();
    expect(report).toContain('<h3>Bản đồ UBND các xã, phường, đặc khu</h3>');
    expect([...report.matchAll(/<path [^>]*data-code="\d+"/g)]).toHaveLength(101);
    expect(report).toContain('Chưa có ranh giới trên bản đồ (1): UBND Phường Bình Đức (30292).');
  });

  it('imports from the command line too (the same service), replacing the file, and the report command has the map', async () => {
    const env = { ...deps.databaseEnv, USER: 'tester' };
    const run = await runCli(['boundaries', 'import', '--wave', '2025', AN_GIANG_GEOJSON_FILE], env, deps.dir);
    expect(run).toMatchObject({ code: 0, stderr: '', stdout: 'Đã nhập ranh giới cho đợt 2025: 102 vùng\n' });
    const stored = await deps.db.selectFrom('unit_boundaries').select(['file_name', 'feature_count', 'imported_by']).execute();
    expect(stored).toEqual([{ file_name: 'an-giang-2025-communes.geojson', feature_count: 102, imported_by: 'cli:tester' }]);
    const out = path.join(deps.dir, 'bao-cao.html');
    expect((await runCli(['report', '--wave', '2025', '--format', 'html', '--out', out], env, deps.dir)).code).toBe(0);
    const report = fs.readFileSync(out, 'utf8');
    expect([...report.matchAll(/<path [^>]*data-code="\d+"/g)]).toHaveLength(102);
    expect(report).not.toContain('Chưa có ranh giới trên bản đồ');
    const broken = await runCli(['boundaries', 'import', '--wave', '2025', out], env, deps.dir);
    expect(broken).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Lỗi: Tệp ranh giới không phải JSON hợp lệ: lỗi ở dòng 1, cột 1\./) });
  });
});
