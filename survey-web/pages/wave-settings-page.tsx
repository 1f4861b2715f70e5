import { Layout, Flash, type FlashMessage, type PageUser, TokenField } from '../layout';

export interface WaveSettingsView {
  period: { from: string; to: string } | null;
  parMaxPoints: number;
  minRespondents: number;
  validity: { minAnsweredShare: number };
  excludeOrganisations: boolean;
  doubleEntry: boolean;
}

/** The wave's configurable rules (SIPAS.md): eligibility before the draw, scoring any time until close. */
export function WaveSettingsPage(props: {
  wave: { year: number; name: string; status: string };
  settings: WaveSettingsView;
  user: PageUser | null;
  message?: FlashMessage;
}) {
  const { wave, settings } = props;
  const drawn = wave.status !== 'setup';
  const closed = wave.status === 'closed';
  return (
    <Layout title={`Quy tắc — ${wave.name}`} user={props.user} nav={{ year: wave.year, current: 'settings' }}>
      <p>
        <a href={`/waves/${wave.year}`}>← {wave.name}</a>
      </p>
      <h1>Quy tắc của đợt {wave.year}</h1>
      <Flash message={props.message} />
      {closed ? <p>Đợt đã khóa: quy tắc không đổi được nữa.</p> : null}
      <form method="post" action={`/waves/${wave.year}/settings`} style="max-width:40rem">
        <TokenField user={props.user} />
        <fieldset disabled={drawn}>
          <legend>Ai đủ điều kiện được chọn (trước khi bốc mẫu)</legend>
          <label for="period-from">Kỳ hồ sơ: ngày trả kết quả từ</label>
          <input id="period-from" name="periodFrom" type="date" value={settings.period?.from ?? ''} />
          <label for="period-to">đến</label>
          <input id="period-to" name="periodTo" type="date" value={settings.period?.to ?? ''} />
          <p class="muted">Để trống cả hai: không giới hạn theo ngày.</p>
          <label>
            <input type="checkbox" name="excludeOrganisations" value="on" checked={settings.excludeOrganisations} /> Không khảo sát tổ chức (chỉ cá nhân)
          </label>
          {drawn ? <p class="muted">Đã bốc mẫu: các quy tắc này được ghi cùng lần bốc và không đổi được nữa.</p> : null}
        </fieldset>
        <fieldset disabled={closed}>
          <legend>Tính chỉ số</legend>
          <label for="par-max">Điểm tối đa trong Chỉ số CCHC</label>
          <input id="par-max" name="parMax" inputmode="decimal" value={String(settings.parMaxPoints).replace('.', ',')} required />
          <label for="min-respondents">Số phiếu hợp lệ tối thiểu để xếp hạng một đơn vị</label>
          <input id="min-respondents" name="minRespondents" inputmode="numeric" value={String(settings.minRespondents)} required />
          <label for="valid-share">Phiếu hợp lệ khi trả lời ít nhất (tỉ lệ tiêu chí, 0–1)</label>
          <input id="valid-share" name="validShare" inputmode="decimal" value={String(settings.validity.minAnsweredShare).replace('.', ',')} required />
        </fieldset>
        <p>
          Nhập phiếu hai lần: <strong>{settings.doubleEntry ? 'bật' : 'tắt'}</strong> — <a href={`/waves/${wave.year}/entry/settings`}>đổi ở trang nhập phiếu</a>
        </p>
        {closed ? null : <button type="submit">Lưu quy tắc</button>}
      </form>
    </Layout>
  );
}
