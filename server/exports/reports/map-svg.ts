import { escapeHtml } from './html.js';

/**
 * Maps for the printable reports, drawn as SVG on the server from the geometries themselves: no
 * tiles, no network, the same on every machine. Longitude/latitude (CGCS2000) are projected on a
 * local equirectangular plane around the map's centre with the ellipsoid's metres per degree there
 * (at a few kilometres the scale is right to well under 0.1 %), north up, so the scale bar and the
 * stated 1:N hold on the printed page.
 */

type Position = readonly number[];
export interface PolygonGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
}

export interface MapStyle {
  fill: string;
  fillOpacity?: number;
  stroke: string;
  strokeWidth: number;
  dash?: string;
  /** Diagonal hatching in the stroke colour over the fill. */
  hatch?: boolean;
}

export interface MapFeature {
  geometry: PolygonGeometry;
  /** Drawn at a point inside the feature when it is large enough on paper. */
  label?: string;
  /** Overrides the layer's style (e.g. a parcel's status colour). */
  style?: MapStyle;
}

export interface MapLayer {
  features: readonly MapFeature[];
  style: MapStyle;
}

export interface MapOptions {
  /** What the map must show whole: [minLon, minLat, maxLon, maxLat]; the frame adds a margin. */
  focus: readonly [number, number, number, number];
  /** Bottom layer first. */
  layers: readonly MapLayer[];
  /** Printed size of the frame, mm. */
  widthMm: number;
  heightMm: number;
}

export interface RenderedMap {
  svg: string;
  /** The printed scale 1 : `scale` (rounded to 10). */
  scale: number;
}

/** SVG user units per printed millimetre (line widths and text sizes below are in these units). */
const UNITS_PER_MM = 4;
const MARGIN = 0.08;

/** Metres per degree of latitude and of longitude at latitude `phi` (degrees), GRS80/CGCS2000 series. */
export function metresPerDegree(phi: number): { lat: number; lon: number } {
  const r = (phi * Math.PI) / 180;
  return {
    lat: 111132.954 - 559.822 * Math.cos(2 * r) + 1.175 * Math.cos(4 * r) - 0.0023 * Math.cos(6 * r),
    lon: 111412.84 * Math.cos(r) - 93.5 * Math.cos(3 * r) + 0.118 * Math.cos(5 * r),
  };
}

function polygonsOf(geometry: PolygonGeometry): Position[][][] {
  return (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as Position[][][];
}

/** A "nice" length (1, 2 or 5 × 10ⁿ metres) not longer than `metres`. */
export function niceLength(metres: number): number {
  const power = 10 ** Math.floor(Math.log10(metres));
  for (const step of [5, 2, 1]) if (step * power <= metres) return step * power;
  return power;
}

function lengthText(metres: number): string {
  return metres >= 1000 ? `${metres / 1000} 千米` : `${metres} 米`;
}

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * A point well inside a ring (projected), for labels: on the horizontal line through the ring's
 * box centre, the middle of the widest stretch inside the ring.
 */
export function labelPoint(ring: readonly (readonly [number, number])[]): [number, number] {
  const ys = ring.map((point) => point[1]);
  const y = (Math.min(...ys) + Math.max(...ys)) / 2;
  const crossings: number[] = [];
  for (let index = 0; index < ring.length - 1; index++) {
    const [x1, y1] = ring[index];
    const [x2, y2] = ring[index + 1];
    if ((y1 <= y && y2 > y) || (y2 <= y && y1 > y)) crossings.push(x1 + ((y - y1) / (y2 - y1)) * (x2 - x1));
  }
  crossings.sort((a, b) => a - b);
  let best: [number, number] = [ring[0][0], ring[0][1]];
  let widest = -1;
  for (let index = 0; index + 1 < crossings.length; index += 2) {
    const width = crossings[index + 1] - crossings[index];
    if (width > widest) {
      widest = width;
      best = [(crossings[index] + crossings[index + 1]) / 2, y];
    }
  }
  return best;
}

function styleAttributes(style: MapStyle): string {
  return `fill="${escapeHtml(style.fill)}" fill-opacity="${style.fillOpacity ?? 1}" stroke="${escapeHtml(style.stroke)}" stroke-width="${style.strokeWidth}"`
    + `${style.dash ? ` stroke-dasharray="${escapeHtml(style.dash)}"` : ''} stroke-linejoin="round"`;
}

/** A hatch pattern per stroke colour. */
function hatchPattern(id: string, colour: string): string {
  return `<pattern id="${id}" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">`
    + `<line x1="0" y1="0" x2="0" y2="8" stroke="${escapeHtml(colour)}" stroke-width="1.6"/></pattern>`;
}

/** A small swatch of a style, for legends (inline SVG, 10 × 6 mm). */
let swatches = 0;
export function legendSwatch(style: MapStyle): string {
  const id = `swatch-hatch-${++swatches}`;
  const hatch = style.hatch ? `<defs>${hatchPattern(id, style.stroke)}</defs>` : '';
  const rect = `<rect x="2" y="2" width="36" height="20" ${styleAttributes(style)}/>`;
  const over = style.hatch ? `<rect x="2" y="2" width="36" height="20" fill="url(#${id})" stroke="none"/>` : '';
  return `<svg class="swatch" width="10mm" height="6mm" viewBox="0 0 40 24" xmlns="http://www.w3.org/2000/svg">${hatch}${rect}${over}</svg>`;
}

/**
 * The map: layers inside a framed, clipped view fitted to `focus`, a scale bar (lower left) and a
 * north arrow (upper right). Text on it (labels) is escaped.
 */
export function renderMapSvg(options: MapOptions): RenderedMap {
  const width = options.widthMm * UNITS_PER_MM;
  const height = options.heightMm * UNITS_PER_MM;
  const [minLon, minLat, maxLon, maxLat] = options.focus;
  const centreLon = (minLon + maxLon) / 2;
  const centreLat = (minLat + maxLat) / 2;
  const perDegree = metresPerDegree(centreLat);
  // Ground metres of the focus, with a margin; at least 50 m so that a tiny parcel is not drawn poster-size.
  const groundWidth = Math.max((maxLon - minLon) * perDegree.lon, 50) * (1 + 2 * MARGIN);
  const groundHeight = Math.max((maxLat - minLat) * perDegree.lat, 50) * (1 + 2 * MARGIN);
  const unitsPerMetre = Math.min(width / groundWidth, height / groundHeight);
  const project = (position: Position): [number, number] => [
    round(width / 2 + (position[0] - centreLon) * perDegree.lon * unitsPerMetre),
    round(height / 2 - (position[1] - centreLat) * perDegree.lat * unitsPerMetre),
  ];

  const defs: string[] = [`<clipPath id="frame"><rect x="0" y="0" width="${width}" height="${height}"/></clipPath>`];
  const hatches = new Map<string, string>();
  const hatchOf = (colour: string) => {
    let id = hatches.get(colour);
    if (!id) {
      id = `hatch-${hatches.size}`;
      hatches.set(colour, id);
      defs.push(hatchPattern(id, colour));
    }
    return id;
  };

  const shapes: string[] = [];
  const labels: string[] = [];
  for (const layer of options.layers) {
    for (const feature of layer.features) {
      const style = feature.style ?? layer.style;
      const polygons = polygonsOf(feature.geometry).map((polygon) => polygon.map((ring) => ring.map(project)));
      const path = polygons.map((polygon) => polygon.map((ring) => `M${ring.map((point) => point.join(' ')).join('L')}Z`).join('')).join('');
      if (!path) continue;
      shapes.push(`<path d="${path}" fill-rule="evenodd" ${styleAttributes(style)}/>`);
      if (style.hatch) shapes.push(`<path d="${path}" fill-rule="evenodd" fill="url(#${hatchOf(style.stroke)})" stroke="none"/>`);
      if (feature.label) {
        // Labelled on its largest part, when the text fits in it.
        const largest = polygons.map((polygon) => polygon[0]).reduce((best, ring) => (spanOf(ring) > spanOf(best) ? ring : best));
        const [x, y] = labelPoint(largest);
        const xs = largest.map((point) => point[0]);
        const half = feature.label.length * 2.75;
        const fits = Math.max(...xs) - Math.min(...xs) > 2 * half && x - half > 0 && x + half < width && y > 8 && y < height - 8;
        if (fits) labels.push(`<text x="${x}" y="${y}" class="label">${escapeHtml(feature.label)}</text>`);
      }
    }
  }

  // Scale bar: a nice length near a fifth of the frame, in four alternating segments.
  const metresAcross = width / unitsPerMetre;
  const barMetres = niceLength(metresAcross / 5);
  const barUnits = barMetres * unitsPerMetre;
  const barX = 16;
  const barY = height - 30;
  const segments = [0, 1, 2, 3].map((index) =>
    `<rect x="${round(barX + (index * barUnits) / 4)}" y="${barY}" width="${round(barUnits / 4)}" height="6" fill="${index % 2 === 0 ? '#222' : '#fff'}" stroke="#222" stroke-width="0.8"/>`).join('');
  // Ground millimetres per printed millimetre.
  const scale = Math.round((1000 * UNITS_PER_MM) / unitsPerMetre / 10) * 10;
  const scaleBar = `<g class="scale-bar"><rect x="${barX - 8}" y="${barY - 20}" width="${round(Math.max(barUnits + 40, 110))}" height="46" fill="#fff" fill-opacity="0.85"/>${segments}`
    + `<text x="${barX}" y="${barY - 6}" class="bar-text" text-anchor="middle">0</text>`
    + `<text x="${round(barX + barUnits)}" y="${barY - 6}" class="bar-text" text-anchor="middle">${lengthText(barMetres)}</text>`
    + `<text x="${barX}" y="${barY + 20}" class="bar-text">比例尺 1:${scale.toLocaleString('en-US')}</text></g>`;

  // North arrow, upper right.
  const nx = width - 30;
  const ny = 22;
  const north = `<g class="north-arrow"><circle cx="${nx}" cy="${ny + 16}" r="20" fill="#fff" fill-opacity="0.85" stroke="#222" stroke-width="0.8"/>`
    + `<path d="M${nx} ${ny}L${nx + 9} ${ny + 28}L${nx} ${ny + 22}Z" fill="#222"/><path d="M${nx} ${ny}L${nx - 9} ${ny + 28}L${nx} ${ny + 22}Z" fill="#fff" stroke="#222" stroke-width="0.8"/>`
    + `<text x="${nx}" y="${ny - 4}" class="north-text" text-anchor="middle">北</text></g>`;

  const svg = `<svg class="map" xmlns="http://www.w3.org/2000/svg" width="${options.widthMm}mm" height="${options.heightMm}mm" viewBox="0 0 ${width} ${height}">`
    + `<defs>${defs.join('')}</defs>`
    + `<style>.label{font:9px 'Noto Sans CJK SC',sans-serif;fill:#222;text-anchor:middle;dominant-baseline:middle;paint-order:stroke;stroke:#fff;stroke-width:2.4px}`
    + `.bar-text{font:10px 'Noto Sans CJK SC',sans-serif;fill:#222}.north-text{font:bold 12px 'Noto Sans CJK SC',sans-serif;fill:#222}</style>`
    + `<rect x="0" y="0" width="${width}" height="${height}" fill="#f7f7f4"/>`
    + `<g clip-path="url(#frame)">${shapes.join('')}${labels.join('')}</g>`
    + `${scaleBar}${north}<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" fill="none" stroke="#444" stroke-width="1"/></svg>`;
  return { svg, scale };
}

function spanOf(ring: readonly (readonly [number, number])[]): number {
  const xs = ring.map((point) => point[0]);
  const ys = ring.map((point) => point[1]);
  return (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
}

/** The box [minLon, minLat, maxLon, maxLat] of polygons, or null when there are none. */
export function boxOf(geometries: readonly PolygonGeometry[]): [number, number, number, number] | null {
  let box: [number, number, number, number] | null = null;
  for (const geometry of geometries) {
    for (const polygon of polygonsOf(geometry)) {
      for (const position of polygon[0] ?? []) {
        const [lon, lat] = position;
        box = box ? [Math.min(box[0], lon), Math.min(box[1], lat), Math.max(box[2], lon), Math.max(box[3], lat)] : [lon, lat, lon, lat];
      }
    }
  }
  return box;
}

/** A box grown by `factor` of its size on each side. */
export function grownBox(box: readonly [number, number, number, number], factor: number): [number, number, number, number] {
  const dx = (box[2] - box[0]) * factor;
  const dy = (box[3] - box[1]) * factor;
  return [box[0] - dx, box[1] - dy, box[2] + dx, box[3] + dy];
}
