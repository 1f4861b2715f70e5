import { Layout } from '../layout';
import type { DrawPageCommitment } from './draw-page';
import { formatDateTime } from './frame-page';

const css = `.sign{display:flex;gap:2rem;margin-top:2rem}.sign>div{flex:1;text-align:center;min-height:8rem}@page{size:A4;margin:18mm}`;

/**
 * The printable commitment record (biên bản) of commit–reveal: what was fixed before the seed
 * existed, with places to sign for the Department and the Fatherland Front. No personal data.
 */
export function DrawCommitmentPage(props: {
  wave: { year: number; name: string };
  commitment: DrawPageCommitment;
  frameFileName: string | null;
  /** Planned n per unit under the committed allocation, from the import report's N. */
  units: { code: string; name: string; eligible: number; planned: number }[];
  user: { username: string; role: string } | null;
}) {
  const { wave, commitment: c } = props;
  return (
    <Layout title={`Biên bản cam kết bốc mẫu số ${c.id} — ${wave.name}`} user={props.user} css={css} nav={{ year: wave.year, current: 'draw' }}>
      <p class="no-print">
        <a href={`/waves/${wave.year}/draw`}>← Bốc mẫu</a> · in bằng Ctrl+P (khổ A4)
      </p>
      <h1>Biên bản cam kết trước khi bốc mẫu</h1>
      <p>
        Đợt khảo sát: {wave.name} (năm {wave.year}). Biên bản số {c.id}, lập lúc {formatDateTime(c.createdAt)}
        {c.createdBy ? ` bởi ${c.createdBy}` : ''}.
      </p>
      <p>Trước khi có hạt giống, các bên thống nhất cố định những điều sau; mọi lần bốc của đợt phải theo đúng biên bản này.</p>
      <ol>
        <li>
          Khung mẫu: tệp {props.frameFileName ? <strong>{props.frameFileName}</strong> : null} có mã SHA-256 <code id="frame-sha256">{c.frameSha256}</code>.
        </li>
        <li>
          Phân bổ cỡ mẫu: {c.allocationText}; dự phòng {String(c.reservePercent).replace('.', ',')} % mỗi đơn vị (làm tròn lên).
        </li>
        <li>
          Quy tắc lấy hạt giống: <span id="seed-rule">{c.ruleText}</span>. Kết quả này chưa ai biết vào ngày lập biên bản.
        </li>
        <li>
          Phương pháp bốc: HMAC-SHA-256 theo tài liệu <code>docs/phuong-phap-boc-mau.md</code>; bất kỳ ai có tệp khung mẫu đều chạy lại được và phải
          ra đúng danh sách đã bốc.
        </li>
      </ol>
      <h2>Cỡ mẫu dự kiến theo đơn vị</h2>
      <table>
        <thead>
          <tr><th>Mã</th><th>Đơn vị</th><th class="num">Đủ điều kiện (N)</th><th class="num">Cỡ mẫu (n)</th></tr>
        </thead>
        <tbody>
          {props.units.map((u) => (
            <tr><td>{u.code}</td><td>{u.name}</td><td class="num">{u.eligible.toLocaleString('vi-VN')}</td><td class="num">{u.planned}</td></tr>
          ))}
        </tbody>
      </table>
      <p>Cách tự kiểm tra sau khi bốc: xem mục 9 của tài liệu phương pháp (so SHA-256 của tệp, tra kết quả xổ số đã công bố, chạy lại lần bốc).</p>
      <p>Ngày ..... tháng ..... năm ..........</p>
      <div class="sign">
        <div><strong>Người lập biên bản</strong><br />(ký, ghi rõ họ tên)</div>
        <div><strong>Đại diện Sở Nội vụ</strong><br />(ký, ghi rõ họ tên, đóng dấu)</div>
        <div><strong>Đại diện Ủy ban Mặt trận Tổ quốc</strong><br />(ký, ghi rõ họ tên)</div>
      </div>
    </Layout>
  );
}
