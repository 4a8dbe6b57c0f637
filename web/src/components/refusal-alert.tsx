import { Alert } from '@mantine/core';
import { appCodeOf, describeError, isClientFault } from '../lib/trpc-errors.ts';
import { ErrorAlert } from './error-alert.tsx';

/**
 * Why the server refused a sign-in, an invitation or a password change, in its own words ("wrong email or
 * password", how long to wait after too many tries); anything else (a server that is down) as any failed call.
 */
export function RefusalAlert({ error, title }: { error: unknown; title: string }) {
  if (error === null || error === undefined) return null;
  if (!isClientFault(error)) return <ErrorAlert error={error} />;
  return (
    <Alert color="red" variant="light" title={appCodeOf(error) === 'RATE_LIMITED' ? 'Too many attempts' : title} role="alert" data-testid="refusal">
      {describeError(error).detail}
    </Alert>
  );
}
