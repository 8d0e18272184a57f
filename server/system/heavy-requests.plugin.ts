import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';
import type { AppInstance } from '../app-instance.js';
import { ApiError, RATE_LIMITED, RetryLaterError } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * An expensive route (an overlay of a drawn boundary with parcels and areas, a large geometry):
     * limited per user by `settings.heavyRequests` (server/system/heavy-requests.plugin.ts).
     */
    heavy?: boolean;
  }
}


/** Retry-After of a refusal for requests still running: a check takes well under a second. */
const BUSY_RETRY_SECONDS = 2;

interface Slot {
  user: string;
  /** The handler is running: the slot is held until it ends, even when the client has gone. */
  handling: boolean;
  /** The response is over (sent, or the connection closed). */
  closed: boolean;
  released: boolean;
}

/**
 * Per-user limits on the routes marked `config.heavy`, decided before the body is read (onRequest,
 * after the auth hook has found the user), so that a refused request costs neither parsing nor SQL:
 * - at most `concurrentPerUser` running at once; the next is refused with 429 `rate_limited`;
 * - at most `perMinutePerUser` a minute, as a bucket refilled evenly (a burst may use it all).
 * A slot is held until the handler has finished, not only until the client hangs up: a client
 * that sends and disconnects cannot leave more work running than its limit. The limits are per
 * process and per user: fifty users drawing at once each keep their own. Their JSON bodies are limited
 * to `bodyLimitBytes` (a geometry at its vertex cap fits), refused from the Content-Length.
 */
export const heavyRequestsPlugin = fp(async (app: AppInstance) => {
  const { concurrentPerUser, perMinutePerUser } = app.settings.heavyRequests;
  const refillPerMs = perMinutePerUser / 60_000;
  const running = new Map<string, number>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  const slots = new WeakMap<FastifyRequest, Slot>();

  function release(slot: Slot): void {
    if (slot.released) return;
    slot.released = true;
    const left = (running.get(slot.user) ?? 1) - 1;
    if (left > 0) running.set(slot.user, left);
    else running.delete(slot.user);
  }

  function responded(slot: Slot): void {
    slot.closed = true;
    if (!slot.handling) release(slot);
  }

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.routeOptions.config?.heavy || !request.principal) return;
    const user = request.principal.username;
    const now = Date.now();
    const bucket = buckets.get(user) ?? { tokens: perMinutePerUser, at: now };
    bucket.tokens = Math.min(perMinutePerUser, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    buckets.set(user, bucket);
    const busy = running.get(user) ?? 0;
    // A refused request's body is not read: the connection closes after the answer (a 9 MB upload
    // is not received only to be thrown away).
    if (busy >= concurrentPerUser || bucket.tokens < 1) reply.header('connection', 'close');
    if (busy >= concurrentPerUser) {
      throw new RetryLaterError(429, RATE_LIMITED,
        `您已有 ${busy} 个核验或保存正在进行（每位用户最多同时 ${concurrentPerUser} 个）：请等它们完成后再试 / too many requests at once.`, BUSY_RETRY_SECONDS);
    }
    if (bucket.tokens < 1) {
      const seconds = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
      throw new RetryLaterError(429, RATE_LIMITED,
        `核验或保存过于频繁（每位用户每分钟最多 ${perMinutePerUser} 次）：请 ${seconds} 秒后再试 / too many requests, retry in ${seconds} s.`, seconds);
    }
    bucket.tokens -= 1;
    running.set(user, busy + 1);
    const slot: Slot = { user, handling: false, closed: false, released: false };
    slots.set(request, slot);
    // 'close' comes after the response is sent and when the client hangs up before it.
    reply.raw.once('close', () => responded(slot));
  });
  app.addHook('onResponse', async (request) => {
    const slot = slots.get(request);
    if (slot) responded(slot);
  });

  app.addHook('onRoute', (route) => {
    if (!route.config?.heavy) return;
    if (route.schema?.body && route.bodyLimit === undefined) {
      route.bodyLimit = Math.min(app.settings.bodyLimitBytes, app.settings.heavyRequests.bodyLimitBytes);
    }
    const handler = route.handler as RouteHandlerMethod;
    route.handler = async function heavyHandler(this: unknown, request: FastifyRequest, reply: FastifyReply) {
      const slot = slots.get(request);
      if (!slot) return handler.call(this as never, request, reply);
      // The client left while its body was read: no work for nobody (the slot is already free).
      if (slot.closed) throw new ApiError(499, 'client_closed', '客户端已断开 / the client closed the request.');
      slot.handling = true;
      try {
        return await handler.call(this as never, request, reply);
      } finally {
        slot.handling = false;
        if (slot.closed) release(slot);
      }
    } as typeof route.handler;
  });
}, { name: 'heavy-requests', dependencies: ['auth', 'settings'] });
