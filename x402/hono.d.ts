import type { RoutesConfig, x402ResourceServer } from '@x402/core/server';
import type { MiddlewareHandler } from 'hono';
import type { ZkPolicy } from './index.js';

/**
 * `paymentMiddleware(routes, server, ...rest)` of @x402/hono with `policy` declared on
 * every route (`extensions.zkpolicy`) and its extension registered on `server` (see
 * `@zkpolicy/x402/express`).
 * @throws TypeError if `server` already has a zkpolicy extension
 */
export declare function zkPolicyPaymentMiddleware(
  routes: RoutesConfig,
  server: x402ResourceServer,
  policy: ZkPolicy,
  ...rest: unknown[]
): MiddlewareHandler;
