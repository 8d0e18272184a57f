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
