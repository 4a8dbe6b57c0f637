import { Badge, Group, Skeleton, Text } from '@mantine/core';
import { useWhoAmI } from '../hooks/use-who-am-i.ts';

export function TenantLabel() {
  const whoAmI = useWhoAmI();
  if (whoAmI.isPending) return <Skeleton height={22} width={140} />;
  if (whoAmI.isError) {
    return (
      <Text size="sm" c="red" title={whoAmI.error.message}>
        Tenant unknown
      </Text>
    );
  }
  const { tenant } = whoAmI.data;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" fw={600} visibleFrom="xs" data-testid="tenant-name">
        {tenant.name}
      </Text>
      <Badge variant="light" data-testid="tenant-plan">
        {tenant.plan}
      </Badge>
    </Group>
  );
}
