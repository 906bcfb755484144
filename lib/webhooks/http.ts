/** Request checks shared by the webhook endpoints: content type and a bounded raw body. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** The raw body as text, refusing more than `limit` bytes whatever Content-Length claims. */
export async function readRawBody(request: Request, limit = MAX_WEBHOOK_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new BodyTooLargeError();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function isJsonContentType(request: Request): boolean {
  return /^application\/json(\s*;|$)/i.test(request.headers.get('content-type') ?? '');
}
