import { ApiError } from '../errors.js';

/** Reasons an upload is refused as a whole; each message says what is wrong and what to do. */
export type RefusalReason =
  | 'bad_archive' | 'zip_bomb' | 'path_traversal' | 'nested_archive' | 'too_large'
  | 'no_layers' | 'not_a_shapefile' | 'unsupported_crs' | 'unreadable' | 'no_polygons' | 'bad_text_file' | 'empty_file';

export class ImportRefusal extends Error {
  constructor(readonly reason: RefusalReason, message: string) {
    super(message);
  }
}

export class ImportStateError extends ApiError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(409, 'import_state', message, details);
  }
}
