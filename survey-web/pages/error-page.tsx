import { ErrorBox, Layout } from '../layout';

export function ErrorPage(props: { status: number; message: string; details?: string[]; user?: { username: string; role: string } | null }) {
  return (
    <Layout title={`Lỗi ${props.status} — SIPAS`} user={props.user}>
      <h1>{props.status === 404 ? 'Không tìm thấy' : 'Không thực hiện được'}</h1>
      <ErrorBox message={props.message} details={props.details} />
      <p>
        <a href="/">Trang chủ</a>
      </p>
    </Layout>
  );
}
