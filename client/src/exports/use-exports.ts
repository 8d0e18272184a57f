import { inject, provide, type InjectionKey } from 'vue';
import type { ExportTarget } from './export-choices.js';

/** What any page may ask of the app's one 导出 dialog and its 我的导出 list. */
export interface ExportsOpener {
  /** Opens the 导出 dialog for what the user is looking at. */
  open(target: ExportTarget): void;
  /** Opens the list of the user's recent exports. */
  openList(): void;
}

const EXPORTS: InjectionKey<ExportsOpener> = Symbol('exports');

export function provideExports(opener: ExportsOpener): void {
  provide(EXPORTS, opener);
}

export function useExports(): ExportsOpener {
  const opener = inject(EXPORTS);
  if (!opener) throw new Error('The exports opener was not provided');
  return opener;
}
