import { Stack } from '@mantine/core';
import { useLeaveTenant } from '../hooks/use-account.ts';
import { ConfirmButton } from './confirm-button.tsx';
import { ErrorAlert } from './error-alert.tsx';

/** A member leaves the tenant they are in; the dashboard then shows another of theirs, or the sign-in page. */
export function LeaveTenantButton({ tenantName }: { tenantName: string }) {
  const leave = useLeaveTenant();
  return (
    <Stack gap="xs" align="flex-start">
      <ConfirmButton
        label="Leave this tenant"
        question={`Leave ${tenantName}? You lose access at once; only a new invitation brings you back.`}
        confirmLabel="Leave"
        onConfirm={() => leave.mutate()}
        loading={leave.isPending}
        testId="leave-tenant"
      />
      {leave.error ? <ErrorAlert error={leave.error} /> : null}
    </Stack>
  );
}
