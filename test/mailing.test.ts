import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { runCli } from '../server/cli/run-cli';
import { accessKeyFor, formatAccessKey } from '../server/services/collection/access-keys';
import { deliveryOrderKey, qrSvg } from '../server/services/collection/mailing';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps, signInSession, type StaffSession } from './support/test-deps';

const HEADER = 'questionnaire_code,unit_code,role,applicant_name,address,phone,qr_url';

describe('mailing pack and post-office manifest', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let app: ReturnType<typeof createApp>;
  let admin: StaffSession;
  let questionnaires: PublishedQuestionnaire[];

  beforeEach(async () => {
    deps = await createTestDeps();
    questionnaires = (await createPublishedWave(deps.db, { perUnit: 3, reserves: 1 })).questionnaires;
    app = createApp(deps);
    admin = await signInSession(deps, 'admin');
  });
  afterEach(() => deps.cleanup());

  const get = (url: string, session = admin) => app.request(url, { headers: { ...session } });
  const contactOf = (q: PublishedQuestionnaire) =>
    deps.db
      .selectFrom('contacts')
      .innerJoin('questionnaires', 'questionnaires.sample_entry_id', 'contacts.sample_entry_id')
      .selectAll('contacts')
      .where('questionnaires.id', '=', q.id)
      .executeTakeFirstOrThrow();
  const parseCsvLines = (csv: string) => csv.replace(/^\uFEFF/, '').trim().split('\r\n');

  it('exports the released questionnaires in delivery order as a BOM CSV, logging counts only', async () => {
    const [snv1, snv2] = questionnaires;
    const stpReserve = questionnaires.find((q) => q.unitCode === 'STP' && q.role === 'reserve')!;
    const stpFirst = questionnaires.find((q) => q.unitCode === 'STP' && q.role === 'primary')!;
    // A reserve released to replace an undeliverable primary: the reserve is sent, the primary is not.
    await deps.db.updateTable('questionnaires').set({ released: 1, replaces_id: stpFirst.id }).where('id', '=', stpReserve.id).execute();
    await deps.db.updateTable('questionnaires').set({ status: 'replaced' }).where('id', '=', stpFirst.id).execute();
    await deps.db.updateTable('contacts').set({ address: 'Số 9, đường Lê Lợi, phường Mỹ Long, TP Long Xuyên, An Giang' }).where('sample_entry_id', '=', (await contactOf(snv2)).sample_entry_id).execute();

    const response = await get('/waves/2023/mailing/manifest.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8');
    const [header, ...rows] = parseCsvLines(csv);
    expect(header).toBe(HEADER);
    expect(rows).toHaveLength(9);
    const codes = rows.map((r) => r.split(',')[0]);
    expect(codes).toContain(stpReserve.code);
    expect(codes).not.toContain(stpFirst.code);
    expect(rows.find((r) => r.startsWith(stpReserve.code))).toMatch(/^[^,]+,STP,reserve,/);
    const snv1Contact = await contactOf(snv1);
    expect(rows).toContain(`${snv1.code},SNV,primary,${snv1Contact.applicant_name},"${snv1Contact.address}",${snv1Contact.phone},${deps.config.publicBaseUrl}/q/${snv1.token}`);

    const addresses = await Promise.all(codes.map(async (code) => (await contactOf(questionnaires.find((q) => q.code === code)!)).address));
    const keys = addresses.map(deliveryOrderKey);
    expect(keys).toEqual([...keys].sort());
    expect(codes[0]).toBe(snv2.code);

    const audit = await deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'mailing.export').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].detail)).toMatchObject({ rows: 9 });
    expect(audit[0].actor).toBe('admin-test');
    expect(audit[0].detail).not.toMatch(/Nguyễn|đường|0912/);
  });

  it('is for administrators only', async () => {
    const analyst = await signInSession(deps, 'analyst');
    const clerk = await signInSession(deps, 'clerk');
    for (const url of ['/waves/2023/mailing', '/waves/2023/mailing/manifest.csv', '/waves/2023/mailing/print?unit=SNV']) {
      for (const session of [analyst, clerk]) {
        const response = await get(url, session);
        expect(response.status).toBe(403);
        expect(await response.text()).not.toContain('Nguyễn Văn');
      }
      const anonymous = await app.request(url);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get('location')).toMatch(/^\/dang-nhap/);
    }
    const post = await app.request('/waves/2023/mailing/dispatched', { method: 'POST', headers: { ...clerk, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(post.status).toBe(403);
  });

  it('prints one page-broken letter and questionnaire per released questionnaire, with a QR code of its address', async () => {
    const organisation = questionnaires[1];
    await deps.db.updateTable('contacts').set({ applicant_name: 'Công ty TNHH Mỹ Bình', applicant_type: 'organisation' }).where('sample_entry_id', '=', (await contactOf(organisation)).sample_entry_id).execute();
    const response = await get('/waves/2023/mailing/print?unit=SNV');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('.sheet{break-after:page;page-break-after:always}');
    expect(html).toContain('@page{size:A4');
    const sections = html.split('<section class="person"').slice(1);
    const snv = questionnaires.filter((q) => q.unitCode === 'SNV' && q.role === 'primary');
    expect(sections).toHaveLength(snv.length);
    for (const q of snv) {
      const section = sections.find((s) => s.startsWith(` data-code="${q.code}"`));
      expect(section).toBeDefined();
      const url = `${deps.config.publicBaseUrl}/q/${q.token}`;
      expect(section).toContain(`aria-label="Mã QR: ${url}"`);
      expect(section).toContain(await qrSvg(url));
      expect(section).toMatch(/<path [^>]*d="M[0-9]/);
      const contact = await contactOf(q);
      expect(section).toContain(contact.applicant_name);
      expect(section).toContain(contact.address!);
      expect(section).toContain(formatAccessKey(accessKeyFor(q.token)));
      expect(section).toContain(`${deps.config.publicBaseUrl}/k`);
      expect(section).toContain('tự nguyện');
      if (q === organisation) {
        expect(section).toContain('Kính gửi: <strong>Công ty TNHH Mỹ Bình</strong>');
        expect(section).toContain('Quý cơ quan, tổ chức được chọn ngẫu nhiên');
      } else {
        expect(section).toContain(`Kính gửi: Ông/Bà <strong>${contact.applicant_name}</strong>`);
      }
      // The questionnaire part carries the code, never the name: a returned form holds no personal data.
      const form = section!.slice(section!.indexOf('<section class="sheet form">'));
      expect(form).toContain(q.code);
      expect(form).not.toContain(contact.applicant_name);
      expect(form.match(/☐/g)!.length).toBe(16 * 6 + 4 + 2 + 5 + 6 + 6 + 2 + 8);
    }
    const logged = await deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'mailing.print').executeTakeFirstOrThrow();
    expect(JSON.parse(logged.detail)).toEqual({ letters: 3, unit: 'SNV', batch: 1, batches: 1 });
  });

  it('marks letters as sent only on the explicit action, and can then export only new ones', async () => {
    const page = await (await get('/waves/2023/mailing')).text();
    expect(page).toContain('Đánh dấu 3 phiếu đã gửi');
    await get('/waves/2023/mailing/manifest.csv');
    const status = async (unit: string) => (await deps.db.selectFrom('questionnaires').select('status').where('unit_code', '=', unit).where('released', '=', 1).execute()).map((r) => r.status);
    expect(await status('SNV')).toEqual(['drawn', 'drawn', 'drawn']);
    const marked = await app.request('/waves/2023/mailing/dispatched', { method: 'POST', headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, body: 'unit=SNV' });
    expect(marked.status).toBe(303);
    expect(marked.headers.get('location')).toBe('/waves/2023/mailing?marked=3');
    expect(await status('SNV')).toEqual(['dispatched', 'dispatched', 'dispatched']);
    expect(await status('STP')).toEqual(['drawn', 'drawn', 'drawn']);
    const fresh = parseCsvLines(await (await get('/waves/2023/mailing/manifest.csv?only=new')).text());
    expect(fresh.slice(1).map((r) => r.split(',')[1]).sort()).toEqual(['LXU', 'LXU', 'LXU', 'STP', 'STP', 'STP']);
  });

  it('exports from the command line with another base URL and can mark the rows dispatched', async () => {
    const out = path.join(deps.dir, 'manifest.csv');
    const env = { ...deps.databaseEnv, USER: 'tester' };
    const result = await runCli(['mailing', 'export', '--wave', '2023', '--out', out, '--base-url', 'https://sipas.angiang.gov.vn/', '--mark-dispatched'], env, deps.dir);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`Đã ghi 9 dòng danh sách gửi của đợt 2023 vào ${out} (theo thứ tự phát thư); đã đánh dấu 9 phiếu là đã gửi\n`);
    const lines = parseCsvLines(fs.readFileSync(out, 'utf8'));
    expect(lines[0]).toBe(HEADER);
    expect(lines.slice(1).every((l) => /,https:\/\/sipas\.angiang\.gov\.vn\/q\/[\w-]{24}$/.test(l))).toBe(true);
    expect(fs.statSync(out).mode & 0o077).toBe(0);
    const dispatched = await deps.db.selectFrom('questionnaires').select('id').where('status', '=', 'dispatched').execute();
    expect(dispatched).toHaveLength(9);
    const wrong = await runCli(['mailing', 'export', '--wave', '2023', '--out', out, '--unit', 'XYZ'], env, deps.dir);
    expect(wrong).toMatchObject({ code: 1, stderr: 'Lỗi: Đơn vị "XYZ" không có trong đợt 2023\n' });
  });
});
