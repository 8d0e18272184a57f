import { SearchQuery, SearchResult } from '../../domain/api/search.schemas.js';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { scopeOf } from '../auth/auth.plugin.js';

export async function searchRoutes(app: AppInstance): Promise<void> {
  app.get('/api/search', {
    config: { permission: 'data:read' },
    schema: {
      tags: ['search'],
      summary: '搜索: suggestions as the user types — parcels by 宗地编号, owner, contract or certificate number or address, districts and 街道/园区 by name (texts only in the reader\'s districts)',
      querystring: SearchQuery,
      response: { 200: SearchResult, 400: ErrorBody },
    },
  }, async (request) => ({
    q: request.query.q,
    ...await app.searchRepository.suggest(request.query.q, request.query.limit, scopeOf(request), { complete: request.query.complete }),
  }));
}
