/**
 * The figures of a district (or of a city over its districts) as `GET /api/districts/{code}/stats`
 * answers them: the server computes them, the client shows them, both use this one shape.
 */
export interface StatusFigure {
  status: string;
  label: string;
  count: number;
  /** m², ellipsoidal (CGCS2000). */
  areaM2: number;
}

export interface TypeFigure {
  type: string;
  label: string;
  count: number;
  /** m², ellipsoidal (CGCS2000). */
  areaM2: number;
}

export interface DistrictStats {
  code: string;
  name: string;
  parcelCount: number;
  /** Total parcel area, m², ellipsoidal (CGCS2000). */
  areaM2: number;
  byStatus: StatusFigure[];
  byType: TypeFigure[];
}
