import http from 'node:http';
import { SESSION_COOKIE } from '../../server/middleware/auth';
import { formTokenFor, FORM_TOKEN_HEADER } from '../../server/middleware/cross-site';

const BOUNDARY = 'sipas-test-boundary';

/**
 * The frame page's upload (`POST /waves/:year/frame`, multipart) as a raw chunked request whose
 * file part is open: the test writes the file's bytes as it likes — part of them and then
 * nothing, to kill the server mid-upload. Errors of the request are ignored: these tests cut it
 * on purpose.
 */
export function startFrameUpload(serverUrl: string, session: string, year: number): http.ClientRequest {
  const request = http.request(`${serverUrl}/waves/${year}/frame`, {
    method: 'POST',
    headers: {
      cookie: `${SESSION_COOKIE}=${session}`,
      [FORM_TOKEN_HEADER]: formTokenFor(session),
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      'transfer-encoding': 'chunked',
    },
  });
  request.on('error', () => {});
  request.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="khung.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  return request;
}
