import { Badge, Group, Menu, Skeleton, Text, UnstyledButton } from '@mantine/core';
import { useSessionTenants } from '../hooks/use-session.ts';
import { useWhoAmI } from '../hooks/use-who-am-i.ts';
import { useSessionStore } from '../stores/session-store.ts';

/** The signed-in tenant, and a menu to switch to another tenant this browser has signed in to. */
export function TenantLabel() {
  const whoAmI = useWhoAmI();
  const { tenants, switchTo } = useSessionTenants();
  const setAddingTenant = useSessionStore((state) => state.setAddingTenant);

  if (whoAmI.isPending) return <Skeleton height={22} width={140} />;
  if (whoAmI.isError) {
    return (
      <Text size="sm" c="red" title={whoAmI.error.message}>
        Tenant unknown
      </Text>
    );
  }
  const { tenant, scope } = whoAmI.data;
  const others = tenants.filter((entry) => !entry.current);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton data-testid="tenant-switcher">
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={600} visibleFrom="xs" data-testid="tenant-name">
              {tenant.name}
            </Text>
            <Badge variant="light" data-testid="tenant-plan">
              {tenant.plan}
            </Badge>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          Signed in to {tenant.name} with a {scope} key
        </Menu.Label>
        {others.map((entry) => (
          <Menu.Item key={entry.keyId} onClick={() => switchTo(entry.keyId)} data-testid={`switch-to-${entry.tenantName}`}>
            {entry.tenantName}{' '}
            <Text span c="dimmed" size="xs">
              ({entry.scope} key)
            </Text>
          </Menu.Item>
        ))}
        {others.length > 0 ? <Menu.Divider /> : null}
        <Menu.Item onClick={() => setAddingTenant(true)}>Sign in to another tenant…</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
