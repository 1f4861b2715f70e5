import { ErrorBox, Layout, Flash, type FlashMessage, type PageUser, TokenField } from '../layout';
import { EmptyList, FoundQuestionnaires, ListSearch, listCss, Pager, type FoundQuestionnaireView, type ListView } from '../pager';
import { BatchLinks, packHref, PublicAddressWarning, type AddressWarning, type PackFilter } from './mailing-pack-page';

export interface MailingUnitRow {
  unitCode: string;
  unitName: string;
  letters: number;
  notYetSent: number;
  reserves: number;
}

/** The administrator's mailing page: print packs, download the manifest, mark letters as sent. */
export function MailingPage(props: {
  wave: { year: number; name: string; personalDataPurgedAt: string | null };
  /** The units on this page of the list. */
  units: MailingUnitRow[];
  /** The whole wave's letters, whatever page is shown. */
  totals: { letters: number; notYetSent: number };
  list: ListView;
  unitOptions: { code: string; name: string }[];
  found: FoundQuestionnaireView[];
  foundLimit: number;
  shortUrl: string;
  user: PageUser | null;
  message?: FlashMessage;
  /** Set while PUBLIC_BASE_URL would put an address citizens cannot reach on the letters. */
  addressWarning: AddressWarning | null;
  /** Letters per printed batch. */
  batchSize: number;
}) {
  const { wave, units } = props;
  const base = `/waves/${wave.year}/mailing`;
  const total = props.totals.letters;
  const notYetSent = props.totals.notYetSent;
  return (
    <Layout title={`Gửi thư mời — ${wave.name}`} user={props.user} nav={{ year: wave.year, current: 'mailing' }} css={listCss}>
      <p>
        <a href={`/waves/${wave.year}`}>← {wave.name}</a>
      </p>
      <h1>Gửi thư mời và phiếu khảo sát</h1>
      {/* Once the personal data is gone nothing can be printed, so the address warning would only be noise. */}
      {wave.personalDataPurgedAt ? null : <PublicAddressWarning warning={props.addressWarning} />}
      <Flash message={props.message} />
      {wave.personalDataPurgedAt ? (
        <ErrorBox message="Dữ liệu cá nhân của đợt này đã được xóa: không còn in thư hay xuất danh sách gửi được." />
      ) : (
        <>
          <p>
            {total} phiếu đã phát hành (người được chọn chính, và người dự phòng khi đã thay thế), {notYetSent} phiếu chưa đánh dấu đã gửi. Người trả lời
            bằng cách gõ địa chỉ dùng <strong>{props.shortUrl}</strong> với mã phiếu và mã truy cập in trên thư.
          </p>
          <p class="muted">
            Danh sách gửi cho bưu điện (CSV, mở được bằng Excel) có họ tên, địa chỉ, điện thoại: chỉ quản trị viên tải được, mỗi lần tải được ghi nhật
            ký. Thứ tự phát thư theo địa chỉ: tỉnh, huyện, xã, đường, số nhà. Xuất danh sách hay in thư không đổi trạng thái phiếu; sau khi giao cho bưu
            điện, bấm «Đánh dấu đã gửi». Bản «tiêu đề tiếng Việt» đặt tên cột Mã phiếu, Họ và tên, Địa chỉ, … để bưu điện trộn thư; bản thường giữ tên
            cột cho phần mềm. Thư in theo lô {props.batchSize} thư, mỗi lô một lần in.
          </p>
          <p>
            <a class="button" href={`${base}/manifest.csv`}>
              Tải danh sách gửi (tất cả)
            </a>{' '}
            <a class="button secondary" href={`${base}/manifest.csv?only=new`}>
              Chỉ phiếu chưa gửi
            </a>{' '}
            <a class="button secondary" href={`${base}/manifest.csv?headers=vi`}>
              Danh sách tiêu đề tiếng Việt (trộn thư)
            </a>
          </p>
          <p>
            <PrintLinks year={wave.year} filter={{ notYetSent: true }} letters={notYetSent} batchSize={props.batchSize} label="In thư các phiếu chưa gửi" button />
          </p>
          <h2 id="don-vi">Theo đơn vị</h2>
          <ListSearch view={props.list} units={props.unitOptions} />
          <FoundQuestionnaires found={props.found} limit={props.foundLimit} />
          <Pager view={props.list} rowsLabel="đơn vị có thư" />
          <EmptyList view={props.list} none="Chưa có phiếu nào được phát hành." />
          <table>
            <thead>
              <tr>
                <th>Mã</th>
                <th>Đơn vị</th>
                <th class="num">Phiếu phát hành</th>
                <th class="num">trong đó dự phòng</th>
                <th class="num">Chưa gửi</th>
                <th>In thư</th>
                <th>Đánh dấu đã gửi</th>
              </tr>
            </thead>
            <tbody>
              {units.map((u) => (
                <tr>
                  <td>{u.unitCode}</td>
                  <td>{u.unitName}</td>
                  <td class="num">{u.letters}</td>
                  <td class="num">{u.reserves}</td>
                  <td class="num">{u.notYetSent}</td>
                  <td>
                    <PrintLinks year={wave.year} filter={{ unitCode: u.unitCode, notYetSent: false }} letters={u.letters} batchSize={props.batchSize} label={`In ${u.letters} thư`} />
                  </td>
                  <td>
                    {u.notYetSent > 0 ? (
                      <form class="inline" method="post" action={`${base}/dispatched`}>
                        <TokenField user={props.user} />
                        <input type="hidden" name="unit" value={u.unitCode} />
                        <button type="submit" class="secondary">
                          Đánh dấu {u.notYetSent} phiếu đã gửi
                        </button>
                      </form>
                    ) : (
                      <span class="muted">đã gửi hết</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {props.list.pageCount > 1 ? <Pager view={props.list} rowsLabel="đơn vị có thư" /> : null}
          {notYetSent > 0 ? (
            <form method="post" action={`${base}/dispatched`}>
              <TokenField user={props.user} />
              <button type="submit">Đánh dấu tất cả {notYetSent} phiếu chưa gửi là đã gửi</button>
            </form>
          ) : null}
        </>
      )}
    </Layout>
  );
}

/** A pack's print link, or one link per batch when its letters need more than one. */
function PrintLinks(props: { year: number; filter: PackFilter; letters: number; batchSize: number; label: string; button?: boolean }) {
  if (props.letters <= props.batchSize) {
    return (
      <a class={props.button ? 'button secondary' : undefined} href={packHref(props.year, props.filter)}>
        {props.label}
      </a>
    );
  }
  return (
    <>
      {props.label}, từng lô: <BatchLinks year={props.year} filter={props.filter} total={props.letters} size={props.batchSize} />
    </>
  );
}
