import type { FastifyRequest } from 'fastify';

/** A multipart form's text fields and its one file (field `file`), as the upload routes read them. */
export interface FormWithFile {
  fields: Record<string, string>;
  upload: { name: string; content: Buffer } | null;
}

/**
 * Reads a multipart body (the route's scope registers @fastify/multipart with its limits): text
 * fields by name, the first part named `file` into memory, any other file skipped. A file over the
 * limit throws `tooLarge()`.
 */
export async function readFormWithFile(request: FastifyRequest, tooLarge: () => Error): Promise<FormWithFile> {
  const fields: Record<string, string> = {};
  let upload: FormWithFile['upload'] = null;
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value);
      continue;
    }
    if (part.fieldname !== 'file' || upload) {
      part.file.resume();
      continue;
    }
    let content: Buffer;
    try {
      content = await part.toBuffer();
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      throw error;
    }
    if (part.file.truncated) throw tooLarge();
    // Browsers send `"`, CR and LF of a file name as %22, %0D and %0A (HTML's multipart/form-data encoding).
    upload = { name: (part.filename || 'upload').replace(/%22/g, '"').replace(/%0[DA]/gi, ' '), content };
  }
  return { fields, upload };
}
