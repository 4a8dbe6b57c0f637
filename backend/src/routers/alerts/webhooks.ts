import { ZAlertRuleIdRequest, ZCreateWebhookRequest, ZCreatedWebhook, ZDeleted, ZWebhook } from '@pulse/shared/alerts';
import { z } from 'zod';
import { insightsProcedure } from '../../trpc/trpc.ts';

// Webhook addresses can hold their own secrets (a Slack webhook's path is one): only editors and up see them.
export const listWebhooks = insightsProcedure.output(z.array(ZWebhook)).query(({ ctx }) => ctx.services.alerts.listWebhooks(ctx.principal.tenant.id));

export const createWebhook = insightsProcedure
  .input(ZCreateWebhookRequest)
  .output(ZCreatedWebhook)
  .mutation(({ ctx, input }) => ctx.services.alerts.createWebhook(ctx.principal.tenant.id, input));

export const deleteWebhook = insightsProcedure
  .input(ZAlertRuleIdRequest)
  .output(ZDeleted)
  .mutation(({ ctx, input }) => ctx.services.alerts.deleteWebhook(ctx.principal.tenant.id, input.id));
