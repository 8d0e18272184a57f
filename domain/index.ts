export * from './area.js';
export * from './units.js';
export * from './ellipsoid.js';
export * from './efficiency.js';
export * from './land-use.js';
export * from './districts.js';
export * from './parcel-fields.js';
export * from './industry-codes.js';
