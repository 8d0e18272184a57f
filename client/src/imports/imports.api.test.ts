import { afterEach, describe, expect, it, vi } from 'vitest';
import { upload } from '../http/request.js';
import { uploadImport } from './imports.api.js';

vi.mock('../http/request.js', async (original) => ({
  ...(await original<typeof import('../http/request.js')>()),
  upload: vi.fn(async () => ({ id: 'a' })),
}));

/** The form the last upload posted. */
function sentForm(): FormData {
  const [path, form] = vi.mocked(upload).mock.lastCall!;
  expect(path).toBe('/api/imports');
  return form;
}

afterEach(() => {
  vi.mocked(upload).mockClear();
});

describe('import upload', () => {
  it('sends the fields before the file, which the server reads while the file streams in', async () => {
    const file = new File([new Uint8Array([80, 75, 3, 4])], 'dltb-2023-gbk-4527.zip', { type: 'application/zip' });
    const options = { quiet: true, onProgress: () => undefined };

    await expect(uploadImport(file, { kind: 'survey', year: 2023, srid: 4527, encoding: 'gbk' }, options)).resolves.toEqual({ id: 'a' });

    const form = sentForm();
    expect([...form.keys()]).toEqual(['kind', 'year', 'srid', 'encoding', 'file']);
    expect(form.get('year')).toBe('2023');
    expect((form.get('file') as File).name).toBe('dltb-2023-gbk-4527.zip');
    expect(vi.mocked(upload).mock.lastCall![2]).toBe(options);
  });

  it('leaves out the fields the user left on 自动识别', async () => {
    await uploadImport(new File(['x'], 'pengbu_BR-14.txt'), { kind: 'parcels' }, { quiet: true });

    expect([...sentForm().keys()]).toEqual(['kind', 'file']);
  });
});
