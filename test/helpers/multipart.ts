// Multipart bodies as browsers send them, for upload forms tested without a browser.
import { randomBytes } from 'node:crypto';

/** A multipart/form-data body: text fields, then the file in the `file` field. */
export function multipart(fields: Record<string, string>, file: Buffer, filename = 'upload.csv') {
  const boundary = `----RucheTest${randomBytes(8).toString('hex')}`;
  const parts = Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const payload = Buffer.concat([...parts, head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}
