import { Paper, Stack, Text, Title } from '@mantine/core';
import { useWhoAmI } from '../hooks/use-who-am-i.ts';
import { LeaveTenantButton } from './leave-tenant-button.tsx';

/** The signed-in person's own membership of this tenant, and leaving it; nothing for a key session. */
export function MembershipCard() {
  const whoAmI = useWhoAmI().data;
  if (!whoAmI?.user) return null;
  return (
    <Paper withBorder p="md" data-testid="membership-card">
      <Stack gap="xs">
        <Title order={4}>Your membership</Title>
        <Text size="sm">
          You are {whoAmI.user.email}, {whoAmI.role} of {whoAmI.tenant.name}.
        </Text>
        <LeaveTenantButton tenantName={whoAmI.tenant.name} />
      </Stack>
    </Paper>
  );
}
