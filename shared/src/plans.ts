import { z } from 'zod';

/** A tenant's plan: it sets the rate limits, the retention, the monthly event quota and how many boards it keeps (the database's `Plan` enum holds the same names). */
export const PLANS = ['free', 'pro', 'enterprise'] as const;
export const ZPlan = z.enum(PLANS);
export type TPlan = z.infer<typeof ZPlan>;

/** How many boards a tenant of each plan may keep; null: no limit. */
export const MAX_BOARDS_BY_PLAN: Record<TPlan, number | null> = { free: 3, pro: 20, enterprise: null };

/** Events a tenant of each plan may store per quota period (a calendar month in UTC); null: no quota. */
export const MONTHLY_EVENT_QUOTA_BY_PLAN: Record<TPlan, number | null> = { free: 100_000, pro: 10_000_000, enterprise: null };
