import { refusal, type Refusal, type RefusalReason } from '../../domain/import/refusals.js';
import { ApiError } from '../errors.js';

/**
 * A refusal thrown from deep inside the unpacking of an archive (an entry callback) to abort it.
 * It never leaves the reader: `polygon-layer.reader.ts` catches it and returns its value.
 */
export class ImportRefusal extends Error {
  constructor(readonly reason: RefusalReason, message: string) {
    super(message);
  }

  get value(): Refusal {
    return refusal(this.reason, this.message);
  }
}

export class ImportStateError extends ApiError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(409, 'import_state', message, details);
  }
}

/** A commit of this import is running (its lock is held): another commit, a cancel or an answer must wait. */
export const IMPORT_COMMITTING = 'import_committing';

export class ImportCommittingError extends ApiError {
  constructor() {
    super(409, IMPORT_COMMITTING, '该导入正在提交，请等提交结束后刷新查看结果。/ This import is being committed.', { status: 'committing' });
  }
}

/** The reason of an import whose commit died with its process (no lock holder while `committing`). */
export const COMMIT_INTERRUPTED = 'commit_interrupted';
export const COMMIT_INTERRUPTED_MESSAGE = '提交过程中断（服务器重启或崩溃），未写入任何数据，可取消后重新导入。';

/** A commit of an import with features outside the importer's 管辖范围 needs their decision first (`outside`). */
export const OUTSIDE_DECISION_REQUIRED = 'outside_decision_required';

export class OutsideDecisionRequiredError extends ApiError {
  constructor(outside: number, partly: number, scope: string) {
    super(409, OUTSIDE_DECISION_REQUIRED,
      `有 ${outside} 个要素不在您的管辖范围（${scope}）内、${partly} 个部分在外：请在 outside 中选择 clip（裁剪到管辖范围）或 skip（跳过范围外的要素）后再提交，或取消导入（停止）。`,
      { parameter: 'outside', outside, partly });
  }
}

/** A layer without the fields its kind requires (DLBM/TBMJ, 宗地编号) cannot be committed. */
export const MISSING_FIELDS = 'missing_fields';

export class MissingFieldsError extends ApiError {
  constructor(message: string) {
    super(400, MISSING_FIELDS, message, { parameter: 'mapping' });
  }
}
