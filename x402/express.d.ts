import type { RoutesConfig, x402ResourceServer } from '@x402/core/server';
import type { NextFunction, Request, Response } from 'express';
import type { ZkPolicy } from './index.js';

/**
 * `paymentMiddleware(routes, server, ...rest)` of @x402/express with `policy` declared on
 * every route (`extensions.zkpolicy`) and its extension registered on `server`: a payment
 * whose proof does not hold is refused (402, PAYMENT-REQUIRED `error` = the zkpolicy reason)
 * before the facilitator verifies it. `rest` is @x402/express's (paywall config, paywall,
 * syncFacilitatorOnStart).
 * @throws TypeError if `server` already has a zkpolicy extension
 */
export declare function zkPolicyPaymentMiddleware(
  routes: RoutesConfig,
  server: x402ResourceServer,
  policy: ZkPolicy,
  ...rest: unknown[]
): (req: Request, res: Response, next: NextFunction) => Promise<void>;
