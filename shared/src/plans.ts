import { z } from 'zod';

/** A tenant's plan: it sets the rate limits and the retention (the database's `Plan` enum holds the same names). */
export const PLANS = ['free', 'pro', 'enterprise'] as const;
export const ZPlan = z.enum(PLANS);
export type TPlan = z.infer<typeof ZPlan>;
