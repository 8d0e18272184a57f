import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { caseForm, formAvailability, formFileName, type CaseFormCode } from '../../domain/identification/forms.js';
import { FORM_FORBIDDEN, FORM_NOT_READY } from '../../domain/identification/refusals.js';
import { stepLabel } from '../../domain/identification/steps.js';
import type { AppInstance } from '../app-instance.js';
import type { Principal } from '../auth/principal.js';
import { IdentificationRefusalError, InvalidParameterError, NotFoundError } from '../errors.js';
import { caseFormDocument } from '../exports/reports/identification-forms.js';
import type { CaseRow } from './identification.sql.js';

export interface PrintedForm {
  bytes: Buffer;
  fileName: string;
}

/**
 * Prints one 认定 form of a case the reader may read (the route checked that) as an A4 PDF: refused
 * with 409 form_not_ready naming the step it needs (附件2 before 初步认定, 附件3 before 告知), 403
 * form_forbidden for a form the role may not have (附件2 for the 用地单位), 404 for a 附件1 snapshot
 * not of the case. Each download is an `export` on the audit log (entity exports).
 */
export async function printCaseForm(
  app: AppInstance, row: CaseRow, form: CaseFormCode, principal: Principal, options: { submissionId?: number; requestId?: string; signal?: AbortSignal } = {},
): Promise<PrintedForm> {
  const definition = caseForm(form);
  const detail = await app.identificationCases.detail(row, principal);
  const availability = formAvailability(form, principal.role, detail);
  if (!availability.ok) {
    throw new IdentificationRefusalError({
      reason: availability.kind === 'forbidden' ? FORM_FORBIDDEN : FORM_NOT_READY, parameter: 'form', message: availability.message,
      details: { form, caseNumber: row.number, currentStep: row.step, needs: definition.needs, needsLabel: definition.needs ? stepLabel(definition.needs) : null },
    });
  }
  if (options.submissionId !== undefined && form !== 'survey') {
    throw new InvalidParameterError('submission', '只有附件1 调查表可以选择调查表快照（submission）；附件2、附件3 请去掉该参数。');
  }
  const submission = options.submissionId === undefined ? detail.submissions[0] ?? null : detail.submissions.find((candidate) => candidate.id === options.submissionId);
  if (submission === undefined) {
    throw new NotFoundError(`案卷 ${row.number} 没有编号为 ${options.submissionId} 的调查表：请从案卷的调查表列表中选择。`, { parameter: 'submission' });
  }
  const [parcel, cityName] = await Promise.all([app.parcelsRepository.find(row.parcelId), app.identificationRepository.cityName(row.districtCode)]);
  const document = caseFormDocument(form, { detail, parcel: parcel ?? null, cityName, submission });
  const fileName = formFileName(form, row.number);
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'biaotu-form-'));
  let bytes: Buffer;
  try {
    const file = path.join(directory, `${form}.pdf`);
    await app.pdfRenderer.render(document, file, { footer: `${definition.attachment} ${definition.title} · 案卷 ${row.number}`, signal: options.signal });
    bytes = await fs.readFile(file);
  } finally {
    await fs.rm(directory, { recursive: true, force: true });
  }
  await app.auditRepository.record({
    entity: 'exports', entityId: `${row.number}/${form}`, action: 'export', actor: principal.username, requestId: options.requestId, before: null,
    after: {
      status: 'done', format: 'pdf', form: `${definition.attachment} ${definition.title}`, caseNumber: row.number, fileName,
      submissionId: form === 'survey' ? submission?.id ?? null : null, rowCount: 1,
    },
  });
  return { bytes, fileName };
}
