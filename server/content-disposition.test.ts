import { describe, expect, it } from 'vitest';
import { contentDisposition } from './content-disposition.js';

describe('contentDisposition', () => {
  it('gives the Chinese name as filename* and a plain ASCII filename', () => {
    expect(contentDisposition('attachment', '厦门市湖里区_地块_20261203.zip'))
      .toBe(`attachment; filename="__________20261203.zip"; filename*=UTF-8''${encodeURIComponent('厦门市湖里区_地块_20261203.zip')}`);
  });

  it('takes the plain name the caller gives, still cleaned of quotes and other characters', () => {
    expect(contentDisposition('attachment', '地块.zip', 'biaotu-parcels-"x".zip')).toBe(`attachment; filename="biaotu-parcels-_x_.zip"; filename*=UTF-8''%E5%9C%B0%E5%9D%97.zip`);
  });

  it('encodes the characters RFC 5987 does not allow unencoded and keeps header injection out', () => {
    const header = contentDisposition('inline', "a'(b)*\r\nSet-Cookie: x.pdf");
    expect(header).toBe(`inline; filename="a'(b)*__Set-Cookie: x.pdf"; filename*=UTF-8''a%27%28b%29%2A%0D%0ASet-Cookie%3A%20x.pdf`);
    expect(header).not.toMatch(/[\r\n]/);
  });
});
