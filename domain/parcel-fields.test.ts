import { describe, expect, it } from 'vitest';
import { PARCEL_FIELDS } from './parcel-fields.js';
import { EDITABLE_PARCEL_KEYS } from './permissions.js';

describe('PARCEL_FIELDS', () => {
  it('gives edit limits to exactly the fields a role may edit (PARCEL_FIELD_ACTIONS), so the patch schema and the permissions agree', () => {
    const patched = PARCEL_FIELDS.filter((field) => field.patch).map((field) => field.key).sort();
    expect(patched).toEqual(EDITABLE_PARCEL_KEYS.filter((key) => key !== 'geometry').sort());
  });
});
