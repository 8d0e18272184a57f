import type { FastifyRequest } from 'fastify';
import { principalOf, scopeOf } from '../auth/auth.plugin.js';
import type { Principal } from '../auth/principal.js';
import type { Scope } from '../auth/scope.js';

/** Who asks, as the criteria and grading services take it: the principal, its scope and the request id. */
export interface Caller {
  principal: Principal;
  scope: Scope;
  requestId: string;
}

export const callerOf = (request: FastifyRequest): Caller => ({ principal: principalOf(request), scope: scopeOf(request), requestId: request.id });
