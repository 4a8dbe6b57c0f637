import { Text } from '@mantine/core';
import type { TPermissionCheck } from '../lib/permissions.ts';
import { ErrorAlert } from './error-alert.tsx';

/** Under a setting: why this caller cannot change it, and why the server refused the last change. */
export function SettingNotes({ check, error, testId }: { check: TPermissionCheck; error: unknown; testId: string }) {
  return (
    <>
      {check.whyNot ? (
        <Text size="sm" c="yellow.8" data-testid={testId}>
          {check.whyNot}
        </Text>
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
    </>
  );
}
