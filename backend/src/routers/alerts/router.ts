import { router } from '../../trpc/trpc.ts';
import { createAlertRule } from './create-alert-rule.ts';
import { deleteAlertRule } from './delete-alert-rule.ts';
import { getAlertHistory } from './get-alert-history.ts';
import { listAlertRules } from './list-alert-rules.ts';
import { listDeliveries } from './list-deliveries.ts';
import { updateAlertRule } from './update-alert-rule.ts';
import { createWebhook, deleteWebhook, listWebhooks } from './webhooks.ts';

export const alertsRouter = router({
  list: listAlertRules,
  create: createAlertRule,
  update: updateAlertRule,
  delete: deleteAlertRule,
  history: getAlertHistory,
  webhooks: listWebhooks,
  createWebhook,
  deleteWebhook,
  deliveries: listDeliveries,
});
