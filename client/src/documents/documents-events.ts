/**
 * Tells whoever shows a parcel's documents (the 一地一档 tab, the photo points on the map) that they
 * changed: a file was filed or removed. Plain DOM events, no framework: the map adapter listens too.
 */
const target = new EventTarget();
const CHANGED = 'documents-changed';

export function noteDocumentsChanged(parcelId: number): void {
  target.dispatchEvent(new CustomEvent<number>(CHANGED, { detail: parcelId }));
}

/** Calls `listener` with the parcel whose documents changed; returns the function that stops it. */
export function onDocumentsChanged(listener: (parcelId: number) => void): () => void {
  const handler = (event: Event) => listener((event as CustomEvent<number>).detail);
  target.addEventListener(CHANGED, handler);
  return () => target.removeEventListener(CHANGED, handler);
}
