import { reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { boundaryFromFile } from './areas.api.js';
import { ApiError } from '../http/request.js';
import type { AreasMapView, AreaTool } from '../map/areas-map.js';
import type { AreaEditor } from './area-editor.js';
import { boxOf, type Areal } from './area-geometry.js';
import { boundaryFromButiao, boundaryFromGeoJson, decodeBoundaryText, type BoundaryFileResult } from './boundary-files.js';

export interface BoundaryImportOptions {
  editor: AreaEditor;
  ensureBoundaryParcels: (shape: Areal | null) => Promise<void>;
  selectTool: (next: AreaTool) => void;
  view: () => AreasMapView | null;
}

/** A boundary from a file: a zipped shapefile (read by the server), GeoJSON or a 部标 text file. */
export function useBoundaryImport({ editor, ensureBoundaryParcels, selectTool, view }: BoundaryImportOptions) {
  const importing = ref(false);
  const sridDialog = reactive({ visible: false, srid: 4527, text: '', fileName: '' });

  async function importFile(file: File): Promise<void> {
    const name = file.name.toLowerCase();
    importing.value = true;
    try {
      if (name.endsWith('.zip')) {
        const answer = await boundaryFromFile(file, { quiet: true });
        applyImported({ ok: true, boundary: answer.boundary, features: answer.features, sourceCrs: answer.sourceCrs, notes: [] }, file.name);
        return;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const text = decodeBoundaryText(bytes);
      if (name.endsWith('.txt')) {
        const result = boundaryFromButiao(text);
        if (!result.ok && result.reason === 'needs_srid') {
          Object.assign(sridDialog, { visible: true, text, fileName: file.name });
          ElMessage({ type: 'info', message: result.message });
          return;
        }
        applyImported(result, file.name);
        return;
      }
      applyImported(boundaryFromGeoJson(text), file.name);
    } catch (error) {
      const message = error instanceof ApiError ? error.message : (error as Error).message;
      ElMessage({ type: 'error', message: `${file.name} 无法读取：${message}`, showClose: true, duration: 8000 });
    } finally {
      importing.value = false;
    }
  }

  function importWithSrid(): void {
    sridDialog.visible = false;
    applyImported(boundaryFromButiao(sridDialog.text, sridDialog.srid), sridDialog.fileName);
  }

  function applyImported(result: BoundaryFileResult, fileName: string): void {
    if (!result.ok) {
      ElMessage({ type: 'error', message: `${fileName}：${result.message}`, showClose: true, duration: 8000 });
      return;
    }
    const boundaryShape: Areal = result.boundary.coordinates.length === 1 ? { type: 'Polygon', coordinates: result.boundary.coordinates[0] } : result.boundary;
    editor.setBoundary(boundaryShape, `导入边界（${fileName}，${result.sourceCrs}，${result.features} 个面）`);
    for (const note of result.notes.slice(0, 3)) ElMessage({ type: 'warning', message: note, showClose: true });
    view()?.fitBounds(boxOf(boundaryShape), { maxZoom: 18 });
    void ensureBoundaryParcels(boundaryShape);
    selectTool('browse');
  }

  return { importing, sridDialog, importFile, importWithSrid };
}
