import { Layout, Flash, type FlashMessage, type PageUser, TokenField } from '../layout';
import { OperatorTable, type EntryFigures } from './entry-page';
import { EmptyList, ListSearch, listCss, listHref, Pager, type ListView } from '../pager';

export interface MismatchView {
  questionnaireId: number;
  code: string;
  unitCode: string;
  unitName: string;
  pass1By: string;
  pass2By: string;
  differences: { field: string; label: string; pass1: string; pass2: string; otherHint: string }[];
}

/** The supervisor's list of double-entry forms whose two keyings differ, settled field by field. */
export function MismatchesPage(props: {
  wave: { year: number; name: string; doubleEntry: boolean };
  user: PageUser;
  /** One page of the forms waiting (`list` says which, and how many wait). */
  mismatches: MismatchView[];
  list: ListView;
  units: { code: string; name: string }[];
  figures: EntryFigures[];
  message?: FlashMessage;
}) {
  const { wave, mismatches, list } = props;
  // A settlement posts to the page's own address, so the page that comes back is this one.
  const listQuery = listHref({ ...list, base: '', anchor: undefined }, list.page);
  return (
    <Layout
      title={`Đối chiếu nhập hai lần — ${wave.name}`}
      user={props.user}
      nav={{ year: wave.year, current: 'mismatches' }}
      css={`.choice label{display:inline;font-weight:400;margin-right:.75rem}.choice input[type=text]{min-height:36px;width:10rem}${listCss}`}
    >
      <h1>Phiếu chờ đối chiếu — {wave.name}</h1>
      <p class="muted">
        <a href={`/waves/${wave.year}`}>← Đợt {wave.year}</a> · Nhập hai lần đang {wave.doubleEntry ? 'bật' : 'tắt'}. Hai lần nhập của một phiếu khác nhau ở
        các trường dưới đây; chọn giá trị đúng theo phiếu giấy cho từng trường (lần 1, lần 2 hoặc giá trị khác). Chỉ phiếu đã đối chiếu mới được tính.
      </p>
      <Flash message={props.message} />
      <ListSearch view={list} units={props.units} />
      <Pager view={list} rowsLabel="phiếu chờ đối chiếu" />
      <EmptyList view={list} none="Không có phiếu nào chờ đối chiếu." />
      {mismatches.map((m) => (
        <section>
          <h2>
            Phiếu {m.code} — {m.unitName}
          </h2>
          <p class="muted">
            Lần 1: {m.pass1By} · Lần 2: {m.pass2By}
          </p>
          <form method="post" action={`/waves/${wave.year}/entry/mismatches/${m.questionnaireId}${listQuery}`}>
            <TokenField user={props.user} />
            <table>
              <thead>
                <tr>
                  <th>Trường</th>
                  <th>Lần 1</th>
                  <th>Lần 2</th>
                  <th>Giá trị đúng</th>
                </tr>
              </thead>
              <tbody>
                {m.differences.map((d) => (
                  <tr>
                    <td>
                      <strong>{d.field}</strong> {d.label}
                    </td>
                    <td>{d.pass1}</td>
                    <td>{d.pass2}</td>
                    <td class="choice">
                      <label>
                        <input type="radio" name={`choice_${d.field}`} value="pass1" required /> lần 1
                      </label>
                      <label>
                        <input type="radio" name={`choice_${d.field}`} value="pass2" /> lần 2
                      </label>
                      <label>
                        <input type="radio" name={`choice_${d.field}`} value="other" /> khác:
                      </label>
                      <input type="text" name={`other_${d.field}`} aria-label={`Giá trị khác cho ${d.field} (${d.otherHint})`} placeholder={d.otherHint} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="submit">Xác nhận phiếu {m.code}</button>
          </form>
        </section>
      ))}
      {list.pageCount > 1 ? <Pager view={list} rowsLabel="phiếu chờ đối chiếu" /> : null}
      <OperatorTable figures={props.figures} />
    </Layout>
  );
}

export function EntrySettingsPage(props: {
  wave: { year: number; name: string; doubleEntry: boolean };
  user: PageUser;
  message?: FlashMessage;
}) {
  const { wave } = props;
  return (
    <Layout title={`Cài đặt nhập phiếu — ${wave.name}`} user={props.user} nav={{ year: wave.year }}>
      <h1>Cài đặt nhập phiếu — {wave.name}</h1>
      <p class="muted">
        <a href={`/waves/${wave.year}/entry`}>← Nhập phiếu giấy</a>
      </p>
      <Flash message={props.message} />
      <form method="post" action={`/waves/${wave.year}/entry/settings`}>
        <TokenField user={props.user} />
        <input type="hidden" name="double_entry" value="0" />
        <label style="font-weight:400">
          <input type="checkbox" name="double_entry" value="1" checked={wave.doubleEntry} style="min-height:auto" /> Nhập hai lần (mỗi phiếu giấy được hai người
          nhập độc lập; chỉ phiếu có hai lần nhập khớp nhau, hoặc đã được giám sát đối chiếu, mới được tính)
        </label>
        <p class="muted">Khi tắt: các phiếu mới nhập một lần và đang chờ lần 2 được ghi nhận ngay; các phiếu đang chờ đối chiếu vẫn ở lại cho giám sát.</p>
        <button type="submit">Lưu</button>
      </form>
    </Layout>
  );
}
