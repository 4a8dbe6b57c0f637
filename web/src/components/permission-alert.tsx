import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import type { TPermissionCheck } from '../lib/permissions.ts';

interface PermissionAlertProps {
  check: TPermissionCheck;
  title: string;
  testId?: string;
  /** What the caller can still do, after the reason. */
  children?: ReactNode;
}

/** Why a page shows no controls to change things: who the caller is, and who may. Nothing when they may. */
export function PermissionAlert({ check, title, testId, children }: PermissionAlertProps) {
  if (check.whyNot === null) return null;
  return (
    <Alert color="yellow" variant="light" title={title} data-testid={testId}>
      {check.whyNot} {children}
    </Alert>
  );
}
