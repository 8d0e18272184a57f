import { randomBytes } from 'node:crypto';

/** A multipart/form-data body, fields first (as browsers and the CLI send them), then the file. */
export function multipartBody(fields: Record<string, string>, file: { name: string; content: Buffer }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----biaotu${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(file.name)}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
  parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
