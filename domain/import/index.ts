export * from './encoding.js';
export * from './crs.js';
export * from './butiao.js';
export * from './field-mapping.js';
