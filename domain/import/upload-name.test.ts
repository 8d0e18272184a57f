import { describe, expect, it } from 'vitest';
import { uploadFileName } from './upload-name.js';

describe('uploadFileName', () => {
  it('keeps a plain name', () => {
    expect(uploadFileName('dltb-2023.zip')).toBe('dltb-2023.zip');
    expect(uploadFileName('厦门市湖里区_地块_疑似低效_20261203.gdb.zip')).toBe('厦门市湖里区_地块_疑似低效_20261203.gdb.zip');
  });
  it('cuts a long Chinese name in its stem, keeping the extension that says how to read it', () => {
    const long = `${'厦门市湖里区地块疑似低效'.repeat(8)}.gdb.zip`;
    const stored = uploadFileName(long);
    expect(stored.endsWith('.gdb.zip')).toBe(true);
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(150);
    expect(stored.startsWith('厦门市湖里区')).toBe(true);
  });
  it('takes the base name and replaces what a file system or shell would mind', () => {
    expect(uploadFileName('../../etc/passwd')).toBe('passwd');
    expect(uploadFileName('C:\\data\\a$b|c.shp')).toBe('a_b_c.shp');
    expect(uploadFileName('')).toBe('upload');
    expect(uploadFileName('.zip')).toBe('.zip');
  });
});
