import type { Allocation, UnitDraw } from '../../sampling';
import { Layout, Flash, type FlashMessage, type PageUser, TokenField, withFormToken } from '../layout';
import { formatDateTime } from './frame-page';
import { EmptyList, ListSearch, listCss, Pager, type ListView } from '../pager';
import { TASK_REFRESH_SECONDS, TaskProgress, type RunningTaskView } from '../task-progress';

export interface DrawPageDraw {
  id: number;
  frameSha256: string;
  seed: string;
  allocation: Allocation;
  allocationText: string;
  reservePercent: number;
  method: string;
  codeVersion: string;
  units: UnitDraw[];
  /** The units' figures added up, for the table's last row. */
  totals: { eligible: number; planned: number; drawn: number; reserve: number; shortfall: number };
  status: 'draft' | 'published' | 'superseded';
  createdAt: string;
  createdBy: string | null;
  publishedAt: string | null;
  commitmentId: number | null;
}

export interface DrawPageLine {
  questionnaireCode: string | null;
  unitCode: string;
  dossierCode: string;
  role: 'primary' | 'reserve';
  rank: number;
}

export interface VerifyView {
  /** The file, the sample and the commitment all hold. */
  verified: boolean;
  identical: boolean;
  codeVersion: string;
  commitment: { id: number; problems: string[] } | null;
  actualSha256: string;
  difference: string | null;
  fileNote: string | null;
}

/** What was fixed before the seed existed (commit–reveal), as the page shows it. */
export interface DrawPageCommitment {
  id: number;
  frameSha256: string;
  ruleText: string;
  allocationText: string;
  reservePercent: number;
  seedRule: { source: string; date: string; digits: number };
  createdAt: string;
  createdBy: string | null;
}

const statusLabel = { draft: 'bản nháp (chưa công bố)', published: 'đã công bố', superseded: 'đã bị thay' } as const;
const count = (n: number) => n.toLocaleString('vi-VN');

/** The method in words for a supervisor who wants to re-check the draw without this software. */
function MethodExplanation({ seed }: { seed: string }) {
  return (
    <details open>
      <summary>Cách bốc và cách tự kiểm tra (dành cho cơ quan giám sát)</summary>
      <ol>
        <li>
          Mỗi người đủ điều kiện có một <em>khóa người</em>: <code>id:</code> + số CCCD/CMND/mã số thuế (bỏ dấu cách, dấu chấm, gạch nối, viết hoa);
          nếu không có số giấy tờ thì <code>na:</code> + họ tên + ký tự U+0000 + địa chỉ (bỏ dấu tiếng Việt, đ → d, chữ thường, gộp khoảng trắng).
          Nhiều hồ sơ của cùng một người ở một đơn vị tính là một người.
        </li>
        <li>
          Thứ hạng của người đó = HMAC-SHA-256 với khóa là chuỗi hạt giống <code>{seed}</code> (UTF-8) và thông điệp là mã đơn vị + U+0000 + khóa
          người, đọc như một số 256 bit (so sánh chuỗi hex chữ thường).
        </li>
        <li>
          Trong mỗi đơn vị, xếp người theo thứ hạng tăng dần: n người đầu là danh sách chính, những người tiếp theo (n × tỷ lệ dự phòng, làm tròn
          lên) là danh sách dự phòng theo đúng thứ tự đó.
        </li>
        <li>Người có nhiều hồ sơ được mô tả bằng hồ sơ có HMAC-SHA-256(hạt giống, "dossier" + U+0000 + mã hồ sơ) nhỏ nhất.</li>
      </ol>
      <p>
        Vì thứ hạng chỉ phụ thuộc hạt giống và khóa người, thứ tự các dòng trong tệp không ảnh hưởng kết quả, và không ai chọn được người được bốc
        nếu hạt giống được công bố sau khi khung mẫu đã cố định (SHA-256 ở trên). Có thể tự tính một thứ hạng bằng công cụ HMAC bất kỳ, ví dụ{' '}
        <code>printf 'CMO\0id:0901…' | openssl dgst -sha256 -hmac '{seed}'</code>, hoặc chạy lại toàn bộ bằng{' '}
        <code>npm run sipas -- draw verify --wave … tệp.csv</code> hay ô kiểm tra bên dưới.
      </p>
    </details>
  );
}

/** The allocation and reserve fields, shared by the commitment and a trial draw (both forms can be on the page: `form` keeps their ids apart). */
function AllocationFields({ form }: { form: 'commit' | 'trial' }) {
  return (
    <>
        <fieldset>
          <legend>Phân bổ cỡ mẫu cho từng đơn vị</legend>
          <label>
            <input type="radio" name="allocation" value="fixed" checked /> Cố định: số phiếu mỗi đơn vị{' '}
            <input name="perUnit" inputmode="numeric" size={5} value="25" aria-label="Số phiếu mỗi đơn vị" />
          </label>
          <label>
            <input type="radio" name="allocation" value="proportional" /> Theo tỷ lệ số người đủ điều kiện: tổng{' '}
            <input name="total" inputmode="numeric" size={6} aria-label="Tổng số phiếu" />, tối thiểu{' '}
            <input name="min" inputmode="numeric" size={4} aria-label="Tối thiểu mỗi đơn vị" />, tối đa{' '}
            <input name="max" inputmode="numeric" size={4} aria-label="Tối đa mỗi đơn vị" />
          </label>
          <label>
            <input type="radio" name="allocation" value="margin" /> Theo sai số n = N / (1 + N·e²): e ={' '}
            <input name="margin" inputmode="decimal" size={5} placeholder="0,05" aria-label="Sai số e" />, tối đa{' '}
            <input name="marginMax" inputmode="numeric" size={4} aria-label="Tối đa mỗi đơn vị (theo sai số)" />
          </label>
          <p class="muted">
            Theo tỷ lệ: mỗi đơn vị nhận n = λ·N (N = số người đủ điều kiện), giữ trong khoảng [tối thiểu, tối đa] và không quá N, với λ chọn để tổng
            đúng bằng tổng đã nhập; phần lẻ làm tròn theo phần dư lớn nhất. Một tổng không đạt được thì bị từ chối, kèm khoảng tổng đạt được. Theo sai
            số: n làm tròn lên (sai số không quá e), không quá mức tối đa nếu có, và không bao giờ quá N.
          </p>
        </fieldset>
        <label for={`${form}-reserve`}>Tỷ lệ dự phòng (%)</label>
        <input id={`${form}-reserve`} name="reserve" inputmode="decimal" size={5} value="20" />
    </>
  );
}

/** Step 1 of commit–reveal: fix the frame, the allocation and the seed's rule before the seed exists. */
function CommitForm({ year, user }: { year: number; user: PageUser | null }) {
  return (
    <section class="no-print">
      <h2>Bước 1: lập biên bản cam kết trước khi có hạt giống</h2>
      <p class="muted">
        Cố định khung mẫu (SHA-256), cách phân bổ và quy tắc lấy hạt giống từ một nguồn công khai sẽ có vào một ngày sau hôm nay (ví dụ giải đặc
        biệt của một kỳ xổ số kiến thiết), in biên bản cho đại diện Mặt trận Tổ quốc ký. Sau ngày quay chỉ cần nhập số kết quả: không ai chọn được
        hạt giống.
      </p>
      <form method="post" action={`/waves/${year}/draw/commit`}>
        <TokenField user={user} />
        <label for="seedSource">Nguồn công khai của hạt giống</label>
        <input id="seedSource" name="seedSource" required size={60} placeholder="Xổ số kiến thiết An Giang, giải đặc biệt" />
        <label for="seedDate">Ngày quay (sau hôm nay)</label>
        <input id="seedDate" name="seedDate" type="date" required />
        <label for="seedDigits">Số chữ số của kết quả</label>
        <input id="seedDigits" name="seedDigits" inputmode="numeric" size={3} value="6" />
        <AllocationFields form="commit" />
        <p>
          <button type="submit">Lập biên bản cam kết</button>
        </p>
      </form>
    </section>
  );
}

function DrawForm({ year, published, suggestedSeed, user, binding }: { year: number; published: boolean; suggestedSeed: string; user: PageUser | null; binding?: DrawPageCommitment }) {
  return (
    <section class="no-print">
      <h2>{published ? 'Bốc lại mẫu (sau khi đã công bố)' : binding ? `Bước 2: bốc mẫu theo biên bản cam kết số ${binding.id}` : 'Bốc thử (không công bố được)'}</h2>
      <form method="post" action={`/waves/${year}/draw`}>
        <TokenField user={user} />
        {binding ? (
          <>
            <p>
              Quy tắc đã cam kết: {binding.ruleText}. Phân bổ: {binding.allocationText}; dự phòng {String(binding.reservePercent).replace('.', ',')} %.
            </p>
            <label for="seed">Số kết quả của nguồn công khai ({binding.seedRule.digits} chữ số)</label>
            <input id="seed" name="seed" required size={20} inputmode="numeric" />
          </>
        ) : (
          <>
            <label for="seed">Chuỗi hạt giống (seed)</label>
            <input id="seed" name="seed" required size={60} placeholder={suggestedSeed} />
            <p class="muted">
              Lần bốc với hạt giống tự chọn là bốc thử: xem được một cách phân bổ cho ra bao nhiêu phiếu ở từng đơn vị, nhưng không công bố được.
              Mẫu chính thức phải theo một biên bản cam kết (bước 1 ở trên), với hạt giống là một kết quả công khai có sau ngày lập biên bản, ví dụ{' '}
              <code>{suggestedSeed}</code>: như vậy không ai, kể cả người quản trị, chọn được người được bốc.
            </p>
            <AllocationFields form="trial" />
          </>
        )}
        {published ? (
          <fieldset>
            <legend>Xác nhận bốc lại</legend>
            <p>
              Mẫu đã công bố sẽ bị thay: các mã phiếu đã cấp bị hủy và thông tin liên hệ của những người đó bị xóa. Chỉ làm được khi chưa có phiếu trả
              lời nào; việc bốc lại được ghi vào nhật ký.
            </p>
            <label>
              <input type="checkbox" name="redraw" value="1" required /> Tôi xác nhận bốc lại mẫu đã công bố
            </label>
            <label for="reason">Lý do</label>
            <input id="reason" name="reason" required size={60} />
          </fieldset>
        ) : null}
        <p>
          <button type="submit">{published ? 'Bốc lại' : 'Bốc mẫu'}</button>
        </p>
      </form>
    </section>
  );
}

export function DrawPage(props: {
  wave: { year: number; name: string; status: string };
  frame: { fileName: string; fileSha256: string; stored: boolean } | undefined;
  draw: DrawPageDraw | undefined;
  /** One page of the drawn list (`list` says which, and how many match). */
  lines: DrawPageLine[];
  list: ListView;
  history: { id: number; status: DrawPageDraw['status']; seed: string; createdAt: string; publishedAt: string | null }[];
  unitNames: Record<string, string>;
  suggestedSeed: string;
  user: PageUser | null;
  message?: FlashMessage;
  verify?: VerifyView;
  /** Newest first. */
  commitments: DrawPageCommitment[];
  /** The commitment a new draw must follow (the latest, made for the frame waiting to be drawn). */
  binding: DrawPageCommitment | undefined;
  /** A draw running on the server: the page shows how far it has read and reloads itself (`url`). */
  drawing?: { task: RunningTaskView; url: string };
}) {
  const { wave, draw, user, drawing } = props;
  const isAdmin = user?.role === 'admin';
  // While a draw runs the forms would only be refused, and the reloads would wipe what is typed.
  const canDraw = isAdmin && wave.status !== 'closed' && props.frame?.stored === true && !drawing;
  return (
    <Layout
      title={`Bốc mẫu — ${wave.name}`}
      user={user}
      nav={{ year: wave.year, current: 'draw' }}
      css={listCss}
      refresh={drawing ? { seconds: TASK_REFRESH_SECONDS, url: drawing.url } : undefined}
    >
      <p class="no-print">
        <a href={`/waves/${wave.year}`}>← {wave.name}</a> · <a href={`/waves/${wave.year}/frame`}>Khung mẫu</a>
      </p>
      <h1>Bốc mẫu đợt {wave.year}</h1>
      <Flash message={props.message} />
      {drawing ? <TaskProgress doing="Đang bốc mẫu" task={drawing.task} /> : null}
      {props.verify ? (
        <div class={props.verify.verified ? 'ok' : 'error'} id="verify-result" role="status">
          <p style="margin:0">
            <strong>{props.verify.verified ? 'Kết luận: ĐẠT.' : 'Kết luận: KHÔNG ĐẠT.'}</strong>{' '}
            {props.verify.identical
              ? `Giống hệt: chạy lại từ tệp này cho đúng danh sách đã bốc. Phương pháp: ${props.verify.codeVersion}.`
              : `Khác với mẫu đã bốc: ${props.verify.difference}`}
          </p>
          <p style="margin:0">{props.verify.fileNote ?? `Tệp đúng là tệp đã bốc (SHA-256 ${props.verify.actualSha256}).`}</p>
          <p style="margin:0">
            {props.verify.commitment === null
              ? 'Không có biên bản cam kết trước: hạt giống do người bốc chọn.'
              : props.verify.commitment.problems.length === 0
                ? `Đúng biên bản cam kết số ${props.verify.commitment.id}: cam kết trước ngày quay, bốc sau ngày quay, hạt giống theo quy tắc, cùng khung mẫu và phân bổ.`
                : `Không đúng biên bản cam kết số ${props.verify.commitment.id}: ${props.verify.commitment.problems.join('; ')}.`}
          </p>
        </div>
      ) : null}

      {!props.frame ? (
        <p>
          Chưa có khung mẫu: <a href={`/waves/${wave.year}/frame`}>nhập khung mẫu</a> trước.
        </p>
      ) : null}

      {draw ? (
        <section>
          <h2>
            Lần bốc số {draw.id}: {statusLabel[draw.status]}
          </h2>
          <table style="width:auto" id="draw-record">
            <tbody>
              <tr><th>Khung mẫu SHA-256</th><td><code>{draw.frameSha256}</code></td></tr>
              <tr><th>Hạt giống (seed)</th><td><code>{draw.seed}</code></td></tr>
              <tr><th>Phân bổ</th><td>{draw.allocationText}</td></tr>
              <tr><th>Dự phòng</th><td>{String(draw.reservePercent).replace('.', ',')} % mỗi đơn vị</td></tr>
              <tr><th>Phương pháp, phiên bản mã</th><td>{draw.method}, {draw.codeVersion}</td></tr>
              <tr>
                <th>Cam kết trước</th>
                <td>
                  {draw.commitmentId !== null ? (
                    <a href={`/waves/${wave.year}/draw/commitments/${draw.commitmentId}`}>biên bản số {draw.commitmentId}</a>
                  ) : (
                    'không có (hạt giống do người bốc chọn)'
                  )}
                </td>
              </tr>
              <tr><th>Bốc lúc</th><td>{formatDateTime(draw.createdAt)}{draw.createdBy ? ` bởi ${draw.createdBy}` : ''}</td></tr>
              <tr><th>Công bố lúc</th><td>{draw.publishedAt ? formatDateTime(draw.publishedAt) : 'chưa công bố'}</td></tr>
            </tbody>
          </table>
          <MethodExplanation seed={draw.seed} />

          <h2>Theo đơn vị</h2>
          <table id="unit-summary">
            <thead>
              <tr>
                <th>Mã</th><th>Đơn vị</th><th class="num">Đủ điều kiện (N)</th><th class="num">Cỡ mẫu (n)</th><th class="num">Đã bốc</th>
                <th class="num">Dự phòng</th><th class="num">Thiếu</th>
              </tr>
            </thead>
            <tbody>
              {draw.units.map((u) => (
                <tr>
                  <td>{u.unitCode}</td>
                  <td>{props.unitNames[u.unitCode] ?? ''}</td>
                  <td class="num">{count(u.eligible)}</td>
                  <td class="num">{u.planned}</td>
                  <td class="num">{u.drawn}</td>
                  <td class="num">{u.reserve}</td>
                  <td class="num">{u.shortfall > 0 ? <strong>{u.shortfall}</strong> : 0}</td>
                </tr>
              ))}
              <tr>
                <th colspan={2}>Tổng</th>
                <th class="num">{count(draw.totals.eligible)}</th>
                <th class="num">{draw.totals.planned}</th>
                <th class="num">{draw.totals.drawn}</th>
                <th class="num">{draw.totals.reserve}</th>
                <th class="num">{draw.totals.shortfall}</th>
              </tr>
            </tbody>
          </table>

          {isAdmin && draw.status === 'draft' && draw.commitmentId === null ? (
            <section class="no-print">
              <h2>Công bố</h2>
              <p role="note">
                Đây là lần <strong>bốc thử</strong> (hạt giống do người bốc tự chọn): xem được phân bổ cho ra bao nhiêu phiếu, nhưng không công bố
                được. Mẫu chính thức phải bốc theo một biên bản cam kết: lập biên bản (bước 1), ký, chờ ngày quay số công khai đã ghi, rồi bốc bằng
                số kết quả (bước 2).
              </p>
            </section>
          ) : null}
          {isAdmin && draw.status === 'draft' && draw.commitmentId !== null ? (
            <section class="no-print">
              <h2>Công bố</h2>
              <p>
                Công bố sẽ cố định mẫu, cấp mã phiếu và mã QR cho {draw.totals.drawn + draw.totals.reserve} người, và xóa tệp khung mẫu (chỉ giữ thông tin liên hệ
                của người được bốc). Sau khi công bố, mẫu không thể bốc lại ngầm.
              </p>
              <form method="post" action={`/waves/${wave.year}/draw/publish`}>
                <TokenField user={user} />
                <input type="hidden" name="drawId" value={String(draw.id)} />
                <label>
                  <input type="checkbox" name="confirm" value="1" required /> Tôi đã kiểm tra và xác nhận công bố lần bốc số {draw.id}
                </label>
                <button type="submit">Công bố mẫu</button>
              </form>
            </section>
          ) : null}

          <h2 id="danh-sach">
            Danh sách được bốc ({count(draw.totals.drawn + draw.totals.reserve)}) <a class="button secondary no-print" href={`/waves/${wave.year}/draw/export.csv`}>Tải CSV</a>
          </h2>
          <p class="muted">
            Không có họ tên, địa chỉ hay số điện thoại ở đây.
            {draw.status === 'draft'
              ? ' Mã phiếu được cấp khi công bố; mã hồ sơ chỉ hiện đến lúc đó, để đối chiếu mẫu với khung mẫu.'
              : ' Mã hồ sơ không hiện sau khi công bố: đặt cạnh mã phiếu, nó cho biết ai đã trả lời phiếu nào.'}
          </p>
          <ListSearch
            view={props.list}
            units={draw.units.map((u) => ({ code: u.unitCode, name: props.unitNames[u.unitCode] ?? '' }))}
            codeLabel={draw.status === 'draft' ? 'Tìm mã hồ sơ' : 'Tìm mã phiếu'}
          />
          <Pager view={props.list} />
          <EmptyList view={props.list} none="Danh sách trống." />
          <table id="drawn-list">
            <thead>
              <tr><th>Mã phiếu</th><th>Đơn vị</th>{draw.status === 'draft' ? <th>Mã hồ sơ</th> : null}<th>Danh sách</th><th class="num">Thứ tự</th></tr>
            </thead>
            <tbody>
              {props.lines.map((l) => (
                <tr>
                  <td>{l.questionnaireCode ?? ''}</td>
                  <td>{l.unitCode}</td>
                  {draw.status === 'draft' ? <td>{l.dossierCode}</td> : null}
                  <td>{l.role === 'primary' ? 'chính' : 'dự phòng'}</td>
                  <td class="num">{l.rank}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {props.list.pageCount > 1 ? <Pager view={props.list} /> : null}

          <section class="no-print">
            <h2>Kiểm tra lại lần bốc</h2>
            <form method="post" action={withFormToken(`/waves/${wave.year}/draw/verify`, user)} enctype="multipart/form-data">
              <label for="verify-file">Tệp khung mẫu gốc (.csv): chạy lại với cùng hạt giống và phân bổ rồi so sánh</label>
              <input id="verify-file" type="file" name="file" accept=".csv,.txt,text/csv" required /> <button type="submit">Kiểm tra</button>
            </form>
          </section>
        </section>
      ) : props.frame ? (
        <p>Chưa bốc mẫu.</p>
      ) : null}

      {canDraw && draw?.status !== 'published' ? <CommitForm year={wave.year} user={user} /> : null}
      {canDraw ? <DrawForm year={wave.year} published={draw?.status === 'published'} suggestedSeed={props.suggestedSeed} user={user} binding={props.binding} /> : null}
      {props.commitments.length > 0 ? (
        <section>
          <h2>Các biên bản cam kết</h2>
          <table id="commitments">
            <thead>
              <tr><th class="num">Số</th><th>Lập lúc</th><th>Quy tắc hạt giống</th><th>Khung mẫu SHA-256</th><th>Phân bổ</th></tr>
            </thead>
            <tbody>
              {props.commitments.map((c) => (
                <tr>
                  <td class="num"><a href={`/waves/${wave.year}/draw/commitments/${c.id}`}>{c.id}</a></td>
                  <td>{formatDateTime(c.createdAt)}</td>
                  <td>{c.ruleText}</td>
                  <td><code>{c.frameSha256}</code></td>
                  <td>{c.allocationText}; dự phòng {String(c.reservePercent).replace('.', ',')} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {isAdmin && draw?.status === 'published' && !props.frame?.stored ? (
        <p class="muted no-print">
          Muốn bốc lại mẫu đã công bố (chỉ khi chưa có phiếu trả lời): <a href={`/waves/${wave.year}/frame`}>nhập lại khung mẫu</a> trước.
        </p>
      ) : null}

      {props.history.length > 1 ? (
        <section>
          <h2>
            Các lần bốc của đợt, kể cả bản nháp đã bị thay{' '}
            <a class="button secondary no-print" href={`/waves/${wave.year}/draw/record.csv`}>Tải biên bản (CSV)</a>
          </h2>
          <table>
            <thead>
              <tr><th class="num">Số</th><th>Trạng thái</th><th>Hạt giống</th><th>Bốc lúc</th><th>Công bố lúc</th></tr>
            </thead>
            <tbody>
              {props.history.map((h) => (
                <tr>
                  <td class="num">{h.id}</td>
                  <td>{statusLabel[h.status]}</td>
                  <td><code>{h.seed}</code></td>
                  <td>{formatDateTime(h.createdAt)}</td>
                  <td>{h.publishedAt ? formatDateTime(h.publishedAt) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </Layout>
  );
}
