import type { TTenantSettings } from '@pulse/shared/tenant-settings';
import { trpc } from '../lib/trpc.ts';

const SHOWN_IN_PLACE = { meta: { errorShownInPlace: true } };

/** The tenant's plan and retention, and changing them (manageRetention, managePlan); each change answers with the new settings. */
export function useTenantSettings() {
  const utils = trpc.useUtils();
  const show = (settings: TTenantSettings) => utils.tenant.settings.setData(undefined, settings);
  return {
    settings: trpc.tenant.settings.useQuery(),
    setRetention: trpc.tenant.setRetention.useMutation({ onSuccess: show, ...SHOWN_IN_PLACE }),
    setPlan: trpc.tenant.setPlan.useMutation({
      onSuccess: (settings) => {
        show(settings);
        // The header's plan badge and the boards' allowance follow the plan.
        return utils.auth.whoAmI.invalidate();
      },
      ...SHOWN_IN_PLACE,
    }),
  };
}
