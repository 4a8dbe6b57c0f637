import { skipToken } from '@tanstack/react-query';
import { trpc } from '../lib/trpc.ts';
import { useLiveDeltas } from './use-live-feed.ts';
import { usePermission } from './use-permission.ts';

// A window judged without a change of state sends nothing live; asking now and then keeps "next window" current.
const RULES_REFRESH_MS = 60_000;
const HISTORY_WINDOWS = 288;

/** The tenant's rules with their states, the plan's limit; asked again each minute while the page shows them. */
export function useAlertRules() {
  return trpc.alerts.list.useQuery(undefined, { refetchInterval: RULES_REFRESH_MS });
}

/** How many rules are firing, for the navigation's badge (0 until known). */
export function useFiringRuleCount(): number {
  const canRead = usePermission('read').allowed;
  const rules = trpc.alerts.list.useQuery(canRead ? undefined : skipToken, {
    select: (list) => list.rules.filter((rule) => rule.state === 'firing').length,
  });
  return rules.data ?? 0;
}

/** A rule's evaluated windows, newest first; nothing while no rule is chosen. */
export function useAlertHistory(ruleId: number | null) {
  return trpc.alerts.history.useQuery(ruleId === null ? skipToken : { id: ruleId, limit: HISTORY_WINDOWS });
}

/** A rule's webhook deliveries with every attempt. */
export function useAlertDeliveries(ruleId: number | null) {
  return trpc.alerts.deliveries.useQuery(ruleId === null ? skipToken : { ruleId });
}

/**
 * A rule changing state arrives on the tab's live stream: the rules (and the badge), histories and deliveries
 * shown are asked for again. Mounted once, in the layout, so the badge is current on every page.
 */
export function useAlertChangesRefresh(): void {
  const utils = trpc.useUtils();
  useLiveDeltas((delta) => {
    if (!delta.alerts?.length) return;
    void utils.alerts.list.invalidate();
    void utils.alerts.history.invalidate();
    void utils.alerts.deliveries.invalidate();
  });
}

/** Creating, editing and deleting rules (editors and up); each success asks for the rules again. Errors are shown in place. */
export function useAlertRuleChanges() {
  const utils = trpc.useUtils();
  const refresh = () => Promise.all([utils.alerts.list.invalidate(), utils.alerts.history.invalidate()]);
  const options = { onSuccess: refresh, meta: { errorShownInPlace: true } };
  return {
    create: trpc.alerts.create.useMutation(options),
    update: trpc.alerts.update.useMutation(options),
    remove: trpc.alerts.delete.useMutation(options),
  };
}

/** The tenant's webhooks (editors and up only: their addresses can hold secrets), adding and deleting them. */
export function useWebhooks(enabled: boolean) {
  const utils = trpc.useUtils();
  const refresh = () => utils.alerts.webhooks.invalidate();
  const options = { onSuccess: refresh, meta: { errorShownInPlace: true } };
  return {
    list: trpc.alerts.webhooks.useQuery(enabled ? undefined : skipToken),
    create: trpc.alerts.createWebhook.useMutation(options),
    // A deleted webhook's rules notify no one any more: their rows say so once asked again.
    remove: trpc.alerts.deleteWebhook.useMutation({ ...options, onSuccess: () => Promise.all([refresh(), utils.alerts.list.invalidate()]) }),
  };
}
