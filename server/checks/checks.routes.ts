import { CheckAnswer, CheckBody } from '../../domain/api/checks.schemas.js';
import { ErrorBody } from '../../domain/api/common.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { scopeOf } from '../auth/auth.plugin.js';
import { unlessRefused } from '../errors.js';

export async function checksRoutes(app: AppInstance): Promise<void> {
  app.post('/api/checks', {
    config: { permission: 'data:read', heavy: true },
    schema: {
      tags: ['checks'],
      summary: 'Authoritative policy check of a 成片改造区域 (areas from PostGIS geography, CGCS2000)',
      description: 'Ratios and limits are fractions (0.0375, 0.10). Bad geometry answers 400 naming the problem and where (boundary, fragments.features[i], supportingLand.features[i]). Parcels outside the reader\'s districts come without their status.',
      body: CheckBody,
      response: { 200: CheckAnswer, 400: ErrorBody, 429: ErrorBody },
    },
  }, async (request) => {
    const prepared = unlessRefused(await app.checksService.prepare(request.body));
    return unlessRefused(await app.checksService.run(prepared.ruleSet, prepared.input, scopeOf(request))).answer;
  });
}
