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
