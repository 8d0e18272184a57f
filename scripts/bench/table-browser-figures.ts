export async function browserFigures(_ownerUrl: string): Promise<{ scroll: { rows: number; frames: number; stepPx: number; maxMs: number; p95Ms: number; over50: number }; actions: { label: string; ms: number }[] }> {
  throw new Error('not yet');
}
