import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportJob } from '../../domain/api/exports.schemas.js';
import { createTestApp, login, type Session, type TestApp } from '../helpers/test-app.js';

/**
 * Issue 14, item 8 end to end: POST /api/exports with the real writers, the job followed to its
 * end, the file downloaded through GET /api/exports/{id}/file and read back by the tools a user's
 * would (exceljs, pdftotext), the audit log holding the export.
 */
let testApp: TestApp;
let directory: string;
let huli: Session;
let official: Session;

beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'biaotu-exports-http-'));
  testApp = await createTestApp({ EXPORT_DIRECTORY: directory });
  huli = await login(testApp.app, 'planner-huli');
  official = await login(testApp.app, 'official');
});
afterAll(async () => {
  await testApp?.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

async function exported(session: Session, payload: object): Promise<{ job: ExportJob; body: Buffer; headers: Record<string, unknown> }> {
  const response = await session.request({ method: 'POST', url: '/api/exports', payload });
  expect(response.statusCode, response.body).toBe(202);
  const id = response.json().id as string;
  await testApp.app.exportService.settled(id);
  const job = (await session.get(`/api/exports/${id}`)).json() as ExportJob;
  expect(job.status, JSON.stringify(job.error)).toBe('done');
  expect(job.downloadUrl).toBe(`/api/exports/${id}/file`);
  const file = await session.get(job.downloadUrl!);
  expect(file.statusCode).toBe(200);
  expect(Number(file.headers['content-length'])).toBe(job.bytes);
  return { job, body: file.rawPayload, headers: file.headers };
}

describe('exports through the API with the real writers', () => {
  it('a 湖里区 planner\'s CSV of the city holds 湖里区 only, names itself, and is on the audit log', async () => {
    const { job, body, headers } = await exported(huli, { layer: 'parcels', format: 'csv', filters: { district: '350200', status: 'suspected' } });
    expect(headers['content-type']).toMatch(/^text\/csv/);
    expect(String(headers['content-disposition'])).toContain(`filename*=UTF-8''${encodeURIComponent(job.fileName!)}`);
    expect(job.fileName).toMatch(/^厦门市湖里区_地块_疑似低效_\d{8}\.csv$/);
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.toString('utf8').slice(1).trim().split(/\r\n/);
    const { rows: [{ count }] } = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM parcels WHERE district_code = '350206' AND status = 'suspected'`.execute(testApp.database.db);
    expect(lines.length - 1).toBe(count);
    expect(job.rowCount).toBe(count);
    expect(lines.slice(1).every((line) => line.includes('湖里区'))).toBe(true);
    const { rows: [audit] } = await sql<{ actor: string; after: { layer: string; format: string; rowCount: number; filters: object } }>`
      SELECT actor, after FROM history WHERE entity = 'exports' AND entity_id = ${job.id} AND action = 'export'`.execute(testApp.database.db);
    expect(audit.actor).toBe('planner-huli');
    expect(audit.after).toMatchObject({ layer: 'parcels', format: 'csv', rowCount: count, filters: { district: '350200', status: 'suspected' } });
  });

  it('district figures as Excel: a sheet per breakdown whose city row is the sum of its districts', async () => {
    const { job, body, headers } = await exported(official, { layer: 'district-figures', format: 'xlsx' });
    expect(headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(expect.arrayContaining(['按效率状态', '按低效类型']));
    expect(job.fileName).toMatch(/\.xlsx$/);
  });

  it('一宗一卡 as PDF: A4, the parcel\'s code and owner in the text', async () => {
    const { rows: [parcel] } = await sql<{ id: number; code: string }>`SELECT id, code FROM parcels WHERE district_code = '350206' AND owner IS NOT NULL ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const { job, body, headers } = await exported(huli, { layer: 'parcel-card', format: 'pdf', filters: { parcelId: parcel.id } });
    expect(headers['content-type']).toBe('application/pdf');
    expect(job.fileName).toContain(parcel.code);
    const file = path.join(directory, 'card.pdf');
    fs.writeFileSync(file, body);
    expect(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })).toContain(parcel.code);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:.*\(A4\)/);
  });

  it('a parcel of another district is refused to the 湖里区 planner, saying why', async () => {
    const { rows: [parcel] } = await sql<{ id: number }>`SELECT id FROM parcels WHERE district_code <> '350206' ORDER BY id LIMIT 1`.execute(testApp.database.db);
    const response = await huli.request({ method: 'POST', url: '/api/exports', payload: { layer: 'parcel-card', format: 'pdf', filters: { parcelId: parcel.id } } });
    expect(response.statusCode).toBe(202);
    await testApp.app.exportService.settled(response.json().id);
    const job = (await huli.get(`/api/exports/${response.json().id}`)).json() as ExportJob;
    expect(job.status).toBe('failed');
    expect(job.error?.reason).toBe('out_of_scope');
    expect(job.error?.message).toMatch(/湖里区/);
    expect((await huli.get(`/api/exports/${job.id}/file`)).statusCode).toBeGreaterThanOrEqual(400);
  });
});
