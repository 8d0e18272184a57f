import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../server/system/chromium.js';

/**
 * Real files for the 一地一档 tests, made by real tools: a JPEG and a PDF written by Debian's Chromium
 * (its JPEG and PDF encoders), and the photo's EXIF (DateTimeOriginal, OffsetTimeOriginal, GPS in
 * WGS84 degrees/minutes/seconds) written into the JPEG by piexifjs, as a camera writes it.
 */
const require = createRequire(import.meta.url);
const piexif = require('piexifjs') as {
  dump(exif: Record<string, Record<number, unknown>>): string;
  insert(exif: string, jpeg: string): string;
  ImageIFD: Record<string, number>;
  ExifIFD: Record<string, number>;
  GPSIFD: Record<string, number>;
};

export interface DocumentFiles {
  /** A photo-like JPEG without EXIF. */
  jpeg: Buffer;
  /** A two-page A4 PDF with Chinese text. */
  pdf: Buffer;
  png: Buffer;
}

/** One Chromium launch: a JPEG screenshot of a coloured page, a PNG, and a PDF print of it. */
export async function makeDocumentFiles(): Promise<DocumentFiles> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, headless: true, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage({ viewport: { width: 480, height: 320 } });
    await page.setContent(`<html><body style="margin:0;background:linear-gradient(135deg,#6a9 0%,#258 60%,#fc6 100%);font:28px sans-serif;color:#fff">
      <p style="padding:24px">厂房现场照片 · 湖里区</p><div style="page-break-before:always">第二页 土地出让合同</div></body></html>`);
    const jpeg = await page.screenshot({ type: 'jpeg', quality: 80 });
    const png = await page.screenshot({ type: 'png' });
    const pdf = await page.pdf({ format: 'A4' });
    return { jpeg, pdf, png };
  } finally {
    await browser.close();
  }
}

/** Degrees as EXIF's three rationals (degrees, minutes, seconds×1000/1000). */
function rationalDms(degrees: number): [[number, number], [number, number], [number, number]] {
  const absolute = Math.abs(degrees);
  const whole = Math.floor(absolute);
  const minutes = Math.floor((absolute - whole) * 60);
  const seconds = Math.round(((absolute - whole) * 60 - minutes) * 60 * 10_000);
  return [[whole, 1], [minutes, 1], [seconds, 10_000]];
}

/** The JPEG with a camera's EXIF: make and model, DateTimeOriginal ("YYYY:MM:DD HH:MM:SS", local time without an offset, as most cameras write it) and a GPS position. */
export function withExif(jpeg: Buffer, options: { takenAt: string; longitude?: number; latitude?: number }): Buffer {
  const exif: Record<string, Record<number, unknown>> = {
    '0th': { [piexif.ImageIFD.Make]: 'Biaotu Test Camera', [piexif.ImageIFD.Model]: 'Field 1' },
    Exif: { [piexif.ExifIFD.DateTimeOriginal]: options.takenAt },
    GPS: {},
  };
  if (options.longitude !== undefined && options.latitude !== undefined) {
    exif.GPS = {
      [piexif.GPSIFD.GPSVersionID]: [2, 3, 0, 0],
      [piexif.GPSIFD.GPSLatitudeRef]: options.latitude >= 0 ? 'N' : 'S',
      [piexif.GPSIFD.GPSLatitude]: rationalDms(options.latitude),
      [piexif.GPSIFD.GPSLongitudeRef]: options.longitude >= 0 ? 'E' : 'W',
      [piexif.GPSIFD.GPSLongitude]: rationalDms(options.longitude),
      [piexif.GPSIFD.GPSMapDatum]: 'WGS-84',
    };
  }
  return Buffer.from(piexif.insert(piexif.dump(exif), jpeg.toString('binary')), 'binary');
}
