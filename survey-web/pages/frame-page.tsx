import type { ImportReport } from '../../sampling';
import { scriptPath } from '../page-scripts';
import { TASK_REFRESH_SECONDS, TaskProgress, type RunningTaskView } from '../task-progress';
import { Layout, Flash, type FlashMessage, type PageUser, withFormToken } from '../layout';

export interface FramePageImport {
  fileName: string;
  fileSha256: string;
  strict: boolean;
  storedFile: string | null;
  createdAt: string;
  createdBy: string | null;
  report: ImportReport;
}

const count = (n: number) => n.toLocaleString('vi-VN');

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
}

/** The import report as an administrator or supervisor reads it. */
export function ImportReportView({ report, unitNames }: { report: ImportReport; unitNames: Record<string, string> }) {
  const reasons = Object.entries(report.rejectionCounts);
  const eligibleTotal = Object.values(report.eligibleByUnit).reduce((s, n) => s + n, 0);
  return (
    <section>
      <h2>Tổng quát</h2>
      <table style="width:auto">
        <tbody>
          <tr><th>Số dòng dữ liệu đọc được</th><td class="num">{count(report.rowsRead)}</td></tr>
          <tr><th>Dòng hợp lệ</th><td class="num">{count(report.rowsAccepted)}</td></tr>
          <tr><th>Dòng bị từ chối</th><td class="num">{count(report.rowsRejected)}</td></tr>
          <tr><th>Mã hồ sơ bị trùng</th><td class="num">{count(report.duplicateDossierCodes)}</td></tr>
          <tr><th>Hồ sơ của cùng một người (đã gộp)</th><td class="num">{count(report.personsMerged)}</td></tr>
          <tr><th>Không đủ điều kiện: ngoài kỳ khảo sát</th><td class="num">{count(report.ineligible.outsidePeriod)}</td></tr>
          <tr><th>Không đủ điều kiện: thiếu địa chỉ gửi thư</th><td class="num">{count(report.ineligible.noAddress)}</td></tr>
          <tr><th>Không đủ điều kiện: tổ chức (đợt loại tổ chức)</th><td class="num">{count(report.ineligible.organisation)}</td></tr>
          <tr><th>Người đủ điều kiện bốc mẫu</th><td class="num">{count(eligibleTotal)}</td></tr>
          <tr><th>Mã hóa, dấu phân cách</th><td>{report.encoding || '—'}, {report.delimiter === '\t' ? 'tab' : `"${report.delimiter}"`}</td></tr>
        </tbody>
      </table>

      <h2>Dòng bị từ chối ({count(report.rowsRejected)})</h2>
      {reasons.length === 0 ? (
        <p>Không có dòng nào bị từ chối.</p>
      ) : (
        <>
          <ul>
            {reasons.map(([reason, n]) => (
              <li>{reason}: {count(n)} dòng</li>
            ))}
          </ul>
          {report.rejections.length < report.rowsRejected ? (
            <p class="muted">Liệt kê {count(report.rejections.length)} dòng đầu; mọi dòng đều được đếm ở trên.</p>
          ) : null}
          <table id="rejections">
            <thead>
              <tr><th class="num">Dòng</th><th>Cột</th><th>Lý do</th><th>Giá trị</th></tr>
            </thead>
            <tbody>
              {report.rejections.map((r) => (
                <tr>
                  <td class="num">{r.row}</td>
                  <td>{r.field ?? ''}</td>
                  <td>{r.reason}</td>
                  <td>{r.value ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2>Đơn vị trong tệp nhưng không thuộc đợt ({report.unknownUnits.length})</h2>
      {report.unknownUnits.length === 0 ? (
        <p>Không có.</p>
      ) : (
        <ul id="unknown-units">
          {report.unknownUnits.map((u) => (
            <li>{u.value}: {count(u.rows)} dòng</li>
          ))}
        </ul>
      )}

      <h2>Đơn vị của đợt không có dòng nào ({report.unitsWithoutRows.length})</h2>
      <p>{report.unitsWithoutRows.length === 0 ? 'Không có: đơn vị nào cũng có hồ sơ.' : report.unitsWithoutRows.map((c) => `${c} ${unitNames[c] ?? ''}`).join('; ')}</p>

      <h2>Số người đủ điều kiện theo đơn vị</h2>
      <table id="eligible-by-unit">
        <thead>
          <tr><th>Mã</th><th>Đơn vị</th><th class="num">Dòng hợp lệ</th><th class="num">Người đủ điều kiện (N)</th></tr>
        </thead>
        <tbody>
          {Object.entries(report.eligibleByUnit).map(([code, n]) => (
            <tr>
              <td>{code}</td>
              <td>{unitNames[code] ?? ''}</td>
              <td class="num">{count(report.rowsByUnit[code] ?? 0)}</td>
              <td class="num">{count(n)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Các cột đã nhận ra</h2>
      <p>
        {report.columns.map((c) => `${c.header} → ${c.field}`).join('; ')}
        {report.ignoredColumns.length > 0 ? `. Cột bỏ qua: ${report.ignoredColumns.join(', ')}` : ''}
      </p>
    </section>
  );
}

export function FramePage(props: {
  wave: { year: number; name: string; status: string; period: { from: string; to: string } | null };
  frameImport: FramePageImport | undefined;
  unitNames: Record<string, string>;
  user: PageUser | null;
  message?: FlashMessage;
  /** What was read of a refused file, so the administrator can fix it. */
  refusedReport?: ImportReport;
  /** An import running on the server: the page shows how far it has read and reloads itself (`url`). */
  importing?: { task: RunningTaskView; url: string };
}) {
  const { wave, frameImport, user, importing } = props;
  return (
    <Layout
      title={`Khung mẫu — ${wave.name}`}
      user={user}
      nav={{ year: wave.year, current: 'frame' }}
      refresh={importing ? { seconds: TASK_REFRESH_SECONDS, url: importing.url } : undefined}
    >
      <p class="no-print">
        <a href={`/waves/${wave.year}`}>← {wave.name}</a> · <a href={`/waves/${wave.year}/draw`}>Bốc mẫu</a>
      </p>
      <h1>Khung mẫu đợt {wave.year}</h1>
      <Flash message={props.message} />
      {importing ? <TaskProgress doing="Đang nhập khung mẫu" task={importing.task} /> : null}
      <p>
        Kỳ khảo sát (ngày trả kết quả được bốc):{' '}
        {wave.period ? `${wave.period.from.split('-').reverse().join('/')} – ${wave.period.to.split('-').reverse().join('/')}` : 'không giới hạn'}. Chỉ
        người có địa chỉ gửi thư mới được bốc.
      </p>

      {props.refusedReport ? (
        <section>
          <h2>Những gì đã đọc được từ tệp bị từ chối (không nhập dòng nào)</h2>
          <ImportReportView report={props.refusedReport} unitNames={props.unitNames} />
        </section>
      ) : null}

      {/* While an import runs a second would be refused, and the reloads would clear the chosen file. */}
      {user?.role === 'admin' && wave.status !== 'closed' && !importing ? (
        <section class="no-print">
          <h2>Nhập khung mẫu</h2>
          <p>
            Tệp CSV xuất từ Hệ thống thông tin giải quyết TTHC: mỗi dòng một hồ sơ đã trả kết quả. Tên cột tiếng Việt hoặc tiếng Anh; UTF-8, UTF-16
            (Excel) đều được. Tệp mới thay cho khung mẫu chưa công bố.
          </p>
          <p>
            Máy chủ đọc tệp trong lúc nhận: <strong>giữ trang này mở cho đến khi tệp được gửi hết</strong> (tệp lớn mất vài phút). Gửi xong thì
            máy chủ tự đọc nốt và ghi kết quả dù trình duyệt đã đóng; kết quả hiện ở trang này.
          </p>
          <form
            id="frame-upload"
            method="post"
            action={withFormToken(`/waves/${wave.year}/frame`, user)}
            enctype="multipart/form-data"
            data-progress={`/waves/${wave.year}/frame/progress`}
          >
            {/* The checkbox comes before the file: the upload is read as it arrives, in this order. */}
            <label>
              <input type="checkbox" name="strict" value="1" /> Chế độ nghiêm ngặt: có dòng lỗi thì không nhập dòng nào
            </label>
            <label for="frame-file">Tệp khung mẫu (.csv)</label>
            <input id="frame-file" type="file" name="file" accept=".csv,.txt,text/csv" required />{' '}
            <button type="submit">Nhập khung mẫu</button>
            <div id="upload-progress" role="status" hidden>
              <progress max="100" value="0" />
              <p id="upload-sent" style="margin:0" />
              <p id="upload-read" style="margin:0" />
            </div>
          </form>
          <script src={scriptPath('frame-upload.js')} />
        </section>
      ) : null}

      {frameImport ? (
        <section>
          <h2>Khung mẫu hiện tại</h2>
          <p>
            Tệp <strong>{frameImport.fileName}</strong>, nhập lúc {formatDateTime(frameImport.createdAt)}
            {frameImport.createdBy ? ` bởi ${frameImport.createdBy}` : ''}
            {frameImport.strict ? ' (chế độ nghiêm ngặt)' : ''}.<br />
            SHA-256: <code>{frameImport.fileSha256}</code>
            <br />
            {frameImport.storedFile ? 'Tệp đang được lưu để bốc mẫu.' : 'Tệp gốc đã được xóa sau khi công bố mẫu (chỉ giữ thông tin của người được bốc).'}
          </p>
          <ImportReportView report={frameImport.report} unitNames={props.unitNames} />
        </section>
      ) : (
        <p>Chưa nhập khung mẫu.</p>
      )}
    </Layout>
  );
}
