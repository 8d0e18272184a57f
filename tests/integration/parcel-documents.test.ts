import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ParcelDocument, ParcelDocumentList, PhotoPointCollection, RemovedDocumentPage } from '../../domain/api/documents.schemas.js';
import { createBackup, restoreBackup } from '../../server/backup/backup.js';
import { dropDatabase } from '../../server/db/database.js';
import { assertMatchesContract } from '../helpers/contract.js';
import { makeDocumentFiles, withExif, type DocumentFiles } from '../helpers/document-files.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * Issue 15 item 4, 一地一档: documents per parcel. Files filed through the API come back byte for byte
 * with their checksum; types are read from the content; limits, hostile names, the district scope,
 * soft removal on record, the audit log, photos' EXIF time and position, and a backup that keeps them.
 */
let testApp: TestApp;
let surveyor: Session;
let viewer: Session;
let huliPlanner: Session;
let admin: Session;
let huliParcel: number;
let simingParcel: number;
/** A point inside the 湖里区 parcel, [经度, 纬度]. */
let inside: [number, number];
let files: DocumentFiles;
let xlsx: Buffer;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A multipart body as a browser sends it: fields first, then the file with its name as raw UTF-8. */
function multipart(fields: Record<string, string>, file: { name: string; content: Buffer; type?: string } | null) {
  const boundary = `----biaotuDocs${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) {
    const quoted = file.name.replace(/"/g, '%22');
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted}"\r\nContent-Type: ${file.type ?? 'application/pdf'}\r\n\r\n`), file.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(session: Session, parcelId: number, file: { name: string; content: Buffer; type?: string } | null, fields: Record<string, string> = { category: 'contract' }) {
  return session.request({ method: 'POST', url: `/api/parcels/${parcelId}/documents`, ...multipart(fields, file) });
}

async function filed(session: Session, parcelId: number, file: { name: string; content: Buffer; type?: string }, fields: Record<string, string> = { category: 'contract' }): Promise<ParcelDocument> {
  const response = await upload(session, parcelId, file, fields);
  expect(response.statusCode, response.body.slice(0, 400)).toBe(201);
  const body = response.json();
  assertMatchesContract(ParcelDocument, body, 'upload');
  return body as ParcelDocument;
}

async function list(session: Session, parcelId: number): Promise<ParcelDocumentList> {
  const response = await session.get(`/api/parcels/${parcelId}/documents`);
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  assertMatchesContract(ParcelDocumentList, response.json(), 'list');
  return response.json() as ParcelDocumentList;
}

/** A PDF grown to `bytes` with a comment after its end (readers ignore it), so each is unique. */
function pdfOf(bytes: number, tag = randomBytes(6).toString('hex')): Buffer {
  const tail = Buffer.from(`\n%${tag}\n`);
  return Buffer.concat([files.pdf, tail, Buffer.alloc(Math.max(0, bytes - files.pdf.length - tail.length), 0x20)]);
}

beforeAll(async () => {
  testApp = await createTestApp();
  [surveyor, viewer, huliPlanner, admin] = await Promise.all(['surveyor', 'viewer', 'planner-huli', 'admin'].map((name) => login(testApp.app, name)));
  // A 湖里区 parcel near 思明区, and the 思明区 parcel nearest to it (photos of both fit in one small box).
  const { rows: [pair] } = await sql<{ huli: number; siming: number; lon: number; lat: number }>`
    SELECT h.id AS huli, s.id AS siming, ST_X(ST_PointOnSurface(h.geom)) AS lon, ST_Y(ST_PointOnSurface(h.geom)) AS lat
    FROM (SELECT id, geom FROM parcels WHERE district_code = '350206'
           ORDER BY geom <-> (SELECT ST_PointOnSurface(geom) FROM districts WHERE code = '350203') OFFSET 30 LIMIT 1) h
    CROSS JOIN LATERAL (SELECT id FROM parcels WHERE district_code = '350203' ORDER BY geom <-> h.geom LIMIT 1) s`.execute(testApp.database.db);
  huliParcel = pair.huli;
  simingParcel = pair.siming;
  inside = [pair.lon, pair.lat];
  files = await makeDocumentFiles();
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('亩均税收').addRow(['年度', '税收（万元）']);
  xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
}, 120_000);

afterAll(async () => {
  await testApp?.close();
});

describe('upload, list, download', () => {
  it('files a PDF and gives back the same bytes, checksum, type and name', async () => {
    const content = pdfOf(60_000);
    const document = await filed(surveyor, huliParcel, { name: '国有建设用地使用权出让合同（2019）.pdf', content }, { category: 'contract', note: '出让合同扫描件 第1–12页' });
    expect(document).toMatchObject({
      parcelId: huliParcel, category: 'contract', note: '出让合同扫描件 第1–12页', mediaType: 'application/pdf',
      byteSize: content.length, sha256: sha256(content), uploadedBy: 'surveyor', removedAt: null, takenAt: null, position: null,
    });
    expect(document.fileName).toBe('国有建设用地使用权出让合同_2019_.pdf');

    const { items, limits } = await list(viewer, huliParcel);
    expect(items.map((item) => item.id)).toContain(document.id);
    expect(limits.maxBytes).toBe(20 * 1024 * 1024);

    const download = await viewer.get(`/api/parcels/${huliParcel}/documents/${document.id}/content`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(content)).toBe(true);
    expect(sha256(download.rawPayload)).toBe(document.sha256);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers.etag).toBe(`"${document.sha256}"`);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="${'_'.repeat(13)}_2019_.pdf"; filename*=UTF-8''${encodeURIComponent('国有建设用地使用权出让合同_2019_.pdf')}`,
    );
    const again = await viewer.request({ method: 'GET', url: `/api/parcels/${huliParcel}/documents/${document.id}/content`, headers: { 'if-none-match': `"${document.sha256}"` } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('previews images and PDFs inline in a sandbox; other accepted types (xlsx) download only', async () => {
    const pdf = await filed(surveyor, huliParcel, { name: 'scan.pdf', content: pdfOf(50_000) }, { category: 'certificate' });
    const preview = await viewer.get(`/api/parcels/${huliParcel}/documents/${pdf.id}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-type']).toBe('application/pdf');
    expect(preview.headers['content-disposition']).toMatch(/^inline; filename="scan\.pdf"/);
    expect(preview.headers['content-security-policy']).toMatch(/^sandbox;.*default-src 'none'.*frame-ancestors 'self'/);
    expect(preview.headers['x-content-type-options']).toBe('nosniff');

    const png = await filed(surveyor, huliParcel, { name: '宗地图.png', content: files.png, type: 'image/png' }, { category: 'drawing' });
    const image = await viewer.get(`/api/parcels/${huliParcel}/documents/${png.id}/preview`);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['content-security-policy']).toContain('sandbox');

    const sheet = await filed(surveyor, huliParcel, { name: '亩均税收台账.xlsx', content: xlsx, type: 'application/octet-stream' }, { category: 'other' });
    expect(sheet.mediaType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const refused = await viewer.get(`/api/parcels/${huliParcel}/documents/${sheet.id}/preview`);
    expect(refused.statusCode).toBe(415);
    expect(refused.json()).toMatchObject({ error: 'not_previewable', parameter: 'documentId' });
    expect(refused.json().message).toContain('请下载');
    expect((await viewer.get(`/api/parcels/${huliParcel}/documents/${sheet.id}/content`)).rawPayload.equals(xlsx)).toBe(true);
  });

  it('files the same bytes once per parcel: a second upload names the first', async () => {
    const content = pdfOf(30_000);
    const first = await filed(surveyor, huliParcel, { name: 'a.pdf', content });
    const second = await upload(surveyor, huliParcel, { name: 'b.pdf', content });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: 'duplicate_document', parameter: 'file', documentId: first.id });
    expect(second.json().message).toContain('a.pdf');
  });
});

describe('what is refused', () => {
  it('reads the type from the content: an .exe or an HTML page named .pdf is refused with 415 naming what it is', async () => {
    const before = (await list(viewer, huliParcel)).items.length;
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'binary'), randomBytes(2000)]);
    const asPdf = await upload(surveyor, huliParcel, { name: '合同.pdf', content: exe });
    expect(asPdf.statusCode).toBe(415);
    expect(asPdf.json()).toMatchObject({ error: 'unsupported_type', parameter: 'file', seen: 'Windows 可执行程序 (exe/dll)' });
    expect(asPdf.json().message).toMatch(/合同\.pdf.*可执行程序.*可上传：PDF/);

    const html = Buffer.from('<!DOCTYPE html><html><body><script>fetch("/api/admin/users")</script></body></html>');
    const page = await upload(surveyor, huliParcel, { name: 'certificate.pdf', content: html, type: 'application/pdf' });
    expect(page.statusCode).toBe(415);
    expect(page.json().message).toContain('网页 (HTML)');

    const zip = Buffer.from('504b0304140000000800', 'hex');
    expect((await upload(surveyor, huliParcel, { name: 'x.docx', content: zip })).json()).toMatchObject({ error: 'unsupported_type', seen: 'ZIP 压缩包' });
    expect((await upload(surveyor, huliParcel, { name: 'x.txt', content: Buffer.from('纯文本') })).json()).toMatchObject({ error: 'unsupported_type', seen: null });
    expect((await list(viewer, huliParcel)).items.length).toBe(before);
  });

  it('refuses an empty file, a missing file, an unknown category and a long note, naming the field', async () => {
    expect((await upload(surveyor, huliParcel, { name: 'empty.pdf', content: Buffer.alloc(0) })).json()).toMatchObject({ error: 'empty_file', parameter: 'file' });
    const missing = await upload(surveyor, huliParcel, null);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().parameter).toBe('file');
    const category = await upload(surveyor, huliParcel, { name: 'a.pdf', content: pdfOf(5_000) }, { category: 'secret' });
    expect(category.statusCode).toBe(400);
    expect(category.json()).toMatchObject({ parameter: 'category' });
    expect(category.json().message).toContain('contract（合同协议）');
    const note = await upload(surveyor, huliParcel, { name: 'a.pdf', content: pdfOf(5_000) }, { category: 'other', note: '长'.repeat(501) });
    expect(note.statusCode).toBe(400);
    expect(note.json().parameter).toBe('note');
    const json = await surveyor.request({ method: 'POST', url: `/api/parcels/${huliParcel}/documents`, payload: { file: 'x' } });
    expect(json.statusCode).toBe(400);
    expect(json.json().parameter).toBe('file');
  });

  it('refuses a file over DOCUMENT_MAX_BYTES with 413 and files nothing', async () => {
    const small = await createTestApp({ DOCUMENT_MAX_BYTES: '100000' });
    try {
      const session = await login(small.app, 'surveyor');
      const parcel = simingParcel;
      const before = (await list(session, parcel)).items.length;
      const over = await session.request({ method: 'POST', url: `/api/parcels/${parcel}/documents`, ...multipart({ category: 'other' }, { name: 'big.pdf', content: pdfOf(100_001) }) });
      expect(over.statusCode).toBe(413);
      expect(over.json()).toMatchObject({ error: 'too_large', parameter: 'file', maxBytes: 100_000 });
      expect(over.json().message).toContain('超过 98 KB 的上限');
      const exact = await session.request({ method: 'POST', url: `/api/parcels/${parcel}/documents`, ...multipart({ category: 'other' }, { name: 'exact.pdf', content: pdfOf(100_000) }) });
      expect(exact.statusCode, exact.body.slice(0, 200)).toBe(201);
      expect((await list(session, parcel)).items.length).toBe(before + 1);
    } finally {
      await small.close();
    }
  });

  it('files hostile names as harmless ones, and sends them back in a header that cannot be broken', async () => {
    const cases: { name: string; expected: string | RegExp; content?: Buffer }[] = [
      { name: '../../../etc/passwd.pdf', expected: 'passwd.pdf' },
      { name: 'C:\\Windows\\system32\\合同.pdf', expected: '合同.pdf' },
      { name: '<img src=x onerror=alert(1)>.pdf', expected: '_img src_x onerror_alert_1__.pdf' },
      { name: '"quoted"; filename=evil.exe.pdf', expected: '_quoted__ filename_evil.exe.pdf' },
      { name: '\u202Efdp.exe', expected: '_fdp.exe.pdf' },
      { name: `${'厦门市湖里区低效用地再开发'.repeat(20)}.pdf`, expected: /^(厦门市湖里区低效用地再开发)+厦?门?市?湖?里?区?低?效?用?地?再?开?发?\.pdf$/ },
      { name: '现场照片.pdf', expected: '现场照片.pdf.jpg', content: files.jpeg },
      { name: '', expected: 'upload.pdf' },
    ];
    for (const [index, { name, expected, content }] of cases.entries()) {
      const document = await filed(surveyor, huliParcel, { name, content: content ?? pdfOf(4_000 + index) }, { category: 'other' });
      if (typeof expected === 'string') expect(document.fileName, name).toBe(expected);
      else expect(document.fileName, name).toMatch(expected);
      expect(Buffer.byteLength(document.fileName), name).toBeLessThanOrEqual(150);
      const download = await viewer.get(`/api/parcels/${huliParcel}/documents/${document.id}/content`);
      const header = String(download.headers['content-disposition']);
      expect(header).not.toMatch(/[\r\n]/);
      expect(header).toMatch(/^attachment; filename="[\x20-\x21\x23-\x5b\x5d-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
      expect(decodeURIComponent(header.split("''")[1])).toBe(document.fileName);
    }
  });
});

describe('district scope and roles', () => {
  let simingDocument: ParcelDocument;

  beforeAll(async () => {
    simingDocument = await filed(surveyor, simingParcel, { name: '思明区合同.pdf', content: pdfOf(8_000) });
  });

  it('gives a 湖里区 user no way to the files of a 思明区 parcel: 403 out_of_scope on every route', async () => {
    const base = `/api/parcels/${simingParcel}/documents`;
    for (const url of [base, `${base}/photos`, `${base}/${simingDocument.id}/content`, `${base}/${simingDocument.id}/preview`]) {
      const response = await huliPlanner.get(url);
      expect(response.statusCode, url).toBe(403);
      expect(response.json().error, url).toBe('out_of_scope');
      expect(response.json().message, url).toContain('思明区');
      expect(response.body).not.toContain('思明区合同');
    }
    const removal = await huliPlanner.request({ method: 'POST', url: `${base}/${simingDocument.id}/removal`, payload: { reason: '越权移除' } });
    expect(removal.statusCode).toBe(403);
    expect(removal.json().error).toBe('out_of_scope');
    const filing = await upload(huliPlanner, simingParcel, { name: 'x.pdf', content: pdfOf(3_000) });
    expect(filing.statusCode).toBe(403);
    expect(filing.json().error).toBe('out_of_scope');
    // Still filed, unchanged.
    expect((await list(surveyor, simingParcel)).items.find((item) => item.id === simingDocument.id)?.removedAt).toBeNull();
  });

  it('answers 404 for a document id asked under another parcel (ids guessed across parcels)', async () => {
    for (const suffix of ['content', 'preview']) {
      const response = await huliPlanner.get(`/api/parcels/${huliParcel}/documents/${simingDocument.id}/${suffix}`);
      expect(response.statusCode).toBe(404);
      expect(response.json().parameter).toBe('documentId');
    }
    const removal = await huliPlanner.request({ method: 'POST', url: `/api/parcels/${huliParcel}/documents/${simingDocument.id}/removal`, payload: { reason: '猜测编号' } });
    expect(removal.statusCode).toBe(404);
    expect((await huliPlanner.get('/api/parcels/999999999/documents')).statusCode).toBe(404);
  });

  it('lets a 湖里区 planner file on a 湖里区 parcel; a viewer reads but cannot file or remove', async () => {
    const drawing = await filed(huliPlanner, huliParcel, { name: '规划总平面图.pdf', content: pdfOf(9_000) }, { category: 'drawing' });
    expect(drawing.uploadedBy).toBe('planner-huli');
    const refused = await upload(viewer, huliParcel, { name: 'v.pdf', content: pdfOf(3_100) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe('forbidden');
    const removal = await viewer.request({ method: 'POST', url: `/api/parcels/${huliParcel}/documents/${drawing.id}/removal`, payload: { reason: '只读用户' } });
    expect(removal.statusCode).toBe(403);
    expect((await viewer.get(`/api/parcels/${huliParcel}/documents/${drawing.id}/content`)).statusCode).toBe(200);
  });
});

describe('soft removal on record', () => {
  it('takes a document off the list, keeps it with who, when and why, for administrators only', async () => {
    const content = pdfOf(12_000);
    const document = await filed(surveyor, huliParcel, { name: '作废的证书.pdf', content }, { category: 'certificate' });
    const noReason = await surveyor.request({ method: 'POST', url: `/api/parcels/${huliParcel}/documents/${document.id}/removal`, payload: { reason: ' ' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().parameter).toBe('reason');

    const removed = await surveyor.request({ method: 'POST', url: `/api/parcels/${huliParcel}/documents/${document.id}/removal`, payload: { reason: '证书已换发，旧证作废' } });
    expect(removed.statusCode, removed.body).toBe(200);
    assertMatchesContract(ParcelDocument, removed.json());
    expect(removed.json()).toMatchObject({ removedBy: 'surveyor', removalReason: '证书已换发，旧证作废' });
    expect(removed.json().removedAt).not.toBeNull();

    const after = await list(viewer, huliParcel);
    expect(after.items.map((item) => item.id)).not.toContain(document.id);
    expect(after.removedCount).toBeGreaterThanOrEqual(1);
    const gone = await surveyor.get(`/api/parcels/${huliParcel}/documents/${document.id}/content`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ error: 'document_removed', parameter: 'documentId' });
    expect(gone.json().message).toContain('证书已换发');
    expect((await surveyor.get(`/api/parcels/${huliParcel}/documents/${document.id}/preview`)).statusCode).toBe(410);
    const kept = await admin.get(`/api/parcels/${huliParcel}/documents/${document.id}/content`);
    expect(kept.statusCode).toBe(200);
    expect(kept.rawPayload.equals(content)).toBe(true);

    const twice = await official().then((session) => session.request({ method: 'POST', url: `/api/parcels/${huliParcel}/documents/${document.id}/removal`, payload: { reason: '再次移除' } }));
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toBe('already_removed');

    const page = await admin.get(`/api/documents/removed?parcel=${huliParcel}`);
    expect(page.statusCode).toBe(200);
    assertMatchesContract(RemovedDocumentPage, page.json());
    expect(page.json().items.find((item: { id: number }) => item.id === document.id)).toMatchObject({
      removalReason: '证书已换发，旧证作废', removedBy: 'surveyor', removedByName: '调查员（演示）', parcelCode: expect.any(String), districtCode: '350206',
    });
    expect((await surveyor.get('/api/documents/removed')).statusCode).toBe(403);

    // The same file may be filed again once the first is removed.
    await filed(surveyor, huliParcel, { name: '作废的证书.pdf', content }, { category: 'certificate' });
  });

  it('keeps every upload and removal on the audit log, and the database refuses to delete or rewrite a document', async () => {
    const document = await filed(surveyor, huliParcel, { name: '审计.pdf', content: pdfOf(7_000) });
    const removal = await surveyor.request({ method: 'POST', url: `/api/parcels/${huliParcel}/documents/${document.id}/removal`, payload: { reason: '上传错了地块' } });
    const { rows } = await sql<{ action: string; actor: string; request_id: string | null; before: Record<string, unknown> | null; after: Record<string, unknown> }>`
      SELECT action, actor, request_id, before, after FROM history WHERE entity = 'parcel_documents' AND entity_id = ${String(document.id)} ORDER BY id`.execute(testApp.database.db);
    expect(rows.map((row) => [row.action, row.actor])).toEqual([['insert', 'surveyor'], ['update', 'surveyor']]);
    expect(rows[0].after).toMatchObject({ file_name: '审计.pdf', sha256: document.sha256, parcel_id: huliParcel });
    expect(rows[1].request_id).toBe(removal.headers['x-request-id']);
    expect(rows[1].before).toMatchObject({ removed_at: null });
    expect(rows[1].after).toMatchObject({ removed_by: 'surveyor', removal_reason: '上传错了地块' });

    const audit = await admin.get('/api/admin/audit?entity=parcel_documents');
    expect(audit.statusCode, audit.body.slice(0, 200)).toBe(200);
    const entry = audit.json().items.find((item: { entityId: string; action: string }) => item.entityId === String(document.id) && item.action === 'insert');
    expect(entry.subject).toMatch(/^350206-.* · 审计\.pdf$/);

    const db = testApp.database.db;
    await expect(sql`DELETE FROM parcel_documents WHERE id = ${document.id}`.execute(db)).rejects.toThrow(/permission denied|never deleted/);
    await expect(sql`DELETE FROM document_contents WHERE document_id = ${document.id}`.execute(db)).rejects.toThrow(/permission denied|written once/);
    await expect(sql`UPDATE parcel_documents SET file_name = 'x.pdf' WHERE id = ${document.id}`.execute(db)).rejects.toThrow(/written once/);
    await expect(sql`UPDATE document_contents SET content = '\\x00' WHERE document_id = ${document.id}`.execute(db)).rejects.toThrow(/permission denied|written once/);
  });
});

let officialSession: Session | null = null;
async function official(): Promise<Session> {
  officialSession ??= await login(testApp.app, 'official');
  return officialSession;
}

describe('photos: EXIF time and position, on the map', () => {
  it('keeps the time (DateTimeOriginal at UTC+8) and the GPS position of a photo, and shows it as a point', async () => {
    const photo = withExif(files.jpeg, { takenAt: '2026:05:06 10:20:30', longitude: inside[0], latitude: inside[1] });
    const document = await filed(surveyor, huliParcel, { name: 'IMG_2041.JPG', content: photo, type: 'image/jpeg' }, { category: 'photo', note: '东侧厂房' });
    expect(document.mediaType).toBe('image/jpeg');
    expect(document.fileName).toBe('IMG_2041.JPG');
    expect(document.takenAt).toBe('2026-05-06T02:20:30.000Z');
    expect(document.position![0]).toBeCloseTo(inside[0], 6);
    expect(document.position![1]).toBeCloseTo(inside[1], 6);
    expect(document.distanceM).toBe(0);
    const { rows: [stored] } = await sql<{ srid: number; exif: Record<string, unknown> }>`
      SELECT ST_SRID(position) AS srid, exif FROM parcel_documents WHERE id = ${document.id}`.execute(testApp.database.db);
    expect(stored.srid).toBe(4490);
    expect(stored.exif).toMatchObject({ Make: 'Biaotu Test Camera', DateTimeOriginal: '2026:05:06 10:20:30', GPSMapDatum: 'WGS-84' });

    // A photo taken 0.01° east of the point (about 1 km): its distance to the parcel is shown.
    const away = await filed(surveyor, huliParcel, { name: 'IMG_2042.jpg', content: withExif(files.jpeg, { takenAt: '2026:05:06 10:25:00', longitude: inside[0] + 0.01, latitude: inside[1] }) }, { category: 'photo' });
    expect(away.distanceM).toBeGreaterThan(100);

    // A JPEG without EXIF has neither (bytes after its end make it a file of its own).
    const plain = await filed(surveyor, huliParcel, { name: 'plain.jpg', content: Buffer.concat([files.jpeg, randomBytes(16)]) }, { category: 'photo' });
    expect([plain.takenAt, plain.position]).toEqual([null, null]);

    const points = await viewer.get(`/api/parcels/${huliParcel}/documents/photos`);
    expect(points.statusCode).toBe(200);
    assertMatchesContract(PhotoPointCollection, points.json());
    const feature = points.json().features.find((item: { id: number }) => item.id === document.id);
    expect(feature).toMatchObject({ type: 'Feature', properties: { documentId: document.id, parcelId: huliParcel, fileName: 'IMG_2041.JPG', takenAt: '2026-05-06T02:20:30Z', note: '东侧厂房' }, geometry: { type: 'Point' } });
    expect(feature.geometry.coordinates[0]).toBeCloseTo(inside[0], 6);
    expect(points.json().features.map((item: { id: number }) => item.id)).not.toContain(plain.id);

    // By box: the 湖里区 planner sees 湖里区 photos, never a 思明区 one in the same box.
    const siming = (await sql<{ lon: number; lat: number }>`SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM parcels WHERE id = ${simingParcel}`.execute(testApp.database.db)).rows[0];
    const simingPhoto = await filed(surveyor, simingParcel, { name: 'siming.jpg', content: withExif(files.jpeg, { takenAt: '2026:01:02 08:00:00', longitude: siming.lon, latitude: siming.lat }) }, { category: 'photo' });
    const box = [Math.min(inside[0], siming.lon) - 0.01, Math.min(inside[1], siming.lat) - 0.01, Math.max(inside[0], siming.lon) + 0.02, Math.max(inside[1], siming.lat) + 0.01];
    const planners = await huliPlanner.get(`/api/documents/photos?bbox=${box.join(',')}`);
    expect(planners.statusCode, planners.body.slice(0, 200)).toBe(200);
    expect((planners.json() as PhotoPointCollection).features.map((item) => item.id)).toContain(document.id);
    expect((planners.json() as PhotoPointCollection).features.map((item) => item.id)).not.toContain(simingPhoto.id);
    const whole = (await surveyor.get(`/api/documents/photos?bbox=${box.join(',')}`)).json() as PhotoPointCollection;
    expect(whole.features.map((item) => item.id)).toEqual(expect.arrayContaining([document.id, simingPhoto.id]));
    const tooLarge = await viewer.get('/api/documents/photos?bbox=117,24,118,25');
    expect(tooLarge.statusCode).toBe(400);
    expect(tooLarge.json().parameter).toBe('bbox');
  });
});

describe('backup', () => {
  it('keeps a document through npm run backup and restore, byte for byte', async () => {
    const content = pdfOf(40_000);
    const document = await filed(surveyor, huliParcel, { name: '备份测试.pdf', content });
    const adminUrl = inject('adminDatabaseUrl');
    const baseUrl = adminUrl.replace(/\/[^/]*$/, '');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-documents-backup-'));
    const database = `biaotu_restore_documents_${Date.now()}_${process.pid}`;
    try {
      const archive = path.join(work, 'backup.tar');
      const manifest = await createBackup({ url: adminUrl, importDirectory: path.join(work, 'no-imports'), output: archive });
      expect(manifest.tables.find((table) => table.table === 'public.document_contents')?.rows).toBeGreaterThan(0);
      const restored = await restoreBackup({ baseUrl, archive, database, importDirectory: path.join(work, 'imports') });
      expect(restored.checks.filter((check) => !check.ok)).toEqual([]);
      const client = new pg.Client({ connectionString: `${baseUrl}/${database}` });
      await client.connect();
      try {
        const { rows: [row] } = await client.query<{ content: Buffer; sha256: string; file_name: string }>(
          'SELECT c.content, d.sha256, d.file_name FROM document_contents c JOIN parcel_documents d ON d.id = c.document_id WHERE d.id = $1', [document.id]);
        expect(row.file_name).toBe('备份测试.pdf');
        expect(row.content.equals(content)).toBe(true);
        expect(sha256(row.content)).toBe(row.sha256);
      } finally {
        await client.end();
      }
    } finally {
      await dropDatabase(baseUrl, database).catch(() => undefined);
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);
});
