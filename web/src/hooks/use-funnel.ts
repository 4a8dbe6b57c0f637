import { skipToken } from '@tanstack/react-query';
import type { TSummaryRequest } from '@pulse/shared/analytics';
import type { TFunnelRequest } from '@pulse/shared/funnels';
import { funnelFromQuery, funnelToQuery, type TFunnelDefinition } from '../lib/funnel-hash.ts';
import { hrefFor } from '../lib/routes.ts';
import { trpc } from '../lib/trpc.ts';
import { usePageQuery } from './use-hash-route.ts';

/**
 * The funnel the address names (null: none yet), and how to show another: it becomes the address, a new
 * history entry, so a reload or a shared link shows the same funnel and Back the one before.
 */
export function useFunnelInAddress(): { funnel: TFunnelDefinition | null; funnelKey: string; showFunnel: (funnel: TFunnelDefinition) => void } {
  const funnel = funnelFromQuery(usePageQuery('funnels'));
  return {
    funnel,
    funnelKey: funnel ? funnelToQuery(funnel) : '',
    showFunnel: (next) => {
      window.location.hash = hrefFor('funnels', funnelToQuery(next));
    },
  };
}

/** The request the Funnels page makes of `funnel` over `range`; the CSV download asks the same. */
export function funnelRequestOf(range: TSummaryRequest, funnel: TFunnelDefinition): TFunnelRequest {
  return { ...range, ...funnel };
}

/**
 * The funnel's answer over the range. While the next answer loads (a minute passing), the last one stays only
 * for the same funnel and range choice: another funnel's numbers would pass for this one's.
 */
export function useFunnel(range: TSummaryRequest, choiceKey: string, funnel: TFunnelDefinition | null) {
  const viewKey = `${choiceKey}#${funnel ? funnelToQuery(funnel) : ''}`;
  return trpc.analytics.funnel.useQuery(funnel ? funnelRequestOf(range, funnel) : skipToken, {
    meta: { viewKey },
    placeholderData: (previous, previousQuery) => (previousQuery?.meta?.viewKey === viewKey ? previous : undefined),
  });
}
