declare module 'geojson-validation' {
  /** Returns true/false, or the list of problems when `trace` is true. */
  export function valid(object: unknown, trace?: boolean): boolean | string[];
  const geojsonValidation: { valid: typeof valid };
  export default geojsonValidation;
}
