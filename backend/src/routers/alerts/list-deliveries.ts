import { ZWebhookDelivery, ZWebhookDeliveriesRequest } from '@pulse/shared/alerts';
import { z } from 'zod';
import { readProcedure } from '../../trpc/trpc.ts';

export const listDeliveries = readProcedure
  .input(ZWebhookDeliveriesRequest)
  .output(z.array(ZWebhookDelivery))
  .query(({ ctx, input }) => ctx.services.alerts.deliveries(ctx.principal.tenant.id, input.ruleId ?? null, input.limit));
