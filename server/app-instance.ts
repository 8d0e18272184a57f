import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';

/**
 * The Fastify instance every plugin and route module receives, with TypeBox as its type provider so
 * that handlers get `Static<>` types of their schemas. It lives apart from `app.ts` so that route
 * modules and plugins never import the module that assembles them (no import cycles).
 */
export type AppInstance = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;
