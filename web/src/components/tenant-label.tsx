import { Badge, Group, Menu, Skeleton, Text, UnstyledButton } from '@mantine/core';
import type { TSessionTenant } from '@pulse/shared/auth';
import { useSessionTenants } from '../hooks/use-session.ts';
import { useWhoAmI } from '../hooks/use-who-am-i.ts';
import { useSessionStore } from '../stores/session-store.ts';

/** "(viewer)" for a membership, "(read key)" for a key. */
const accessOf = (entry: Pick<TSessionTenant, 'role' | 'scope'>) => entry.role ?? `${entry.scope} key`;

/** The signed-in tenant, and a menu to switch to another tenant of this browser: a person's memberships, or the keys it signed in with. */
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
  const { tenant, role, scope, user } = whoAmI.data;
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
        <Menu.Label data-testid="tenant-access">
          {role ? `Signed in to ${tenant.name} as ${role}` : `Signed in to ${tenant.name} with a ${scope} key`}
        </Menu.Label>
        {others.map((entry) => (
          <Menu.Item key={entry.keyId ?? `tenant-${entry.tenantId}`} onClick={() => switchTo(entry)} data-testid={`switch-to-${entry.tenantName}`}>
            {entry.tenantName}{' '}
            <Text span c="dimmed" size="xs">
              ({accessOf(entry)})
            </Text>
          </Menu.Item>
        ))}
        {/* A person joins other tenants by invitation: signing in with a key would end their own session. */}
        {user === null && others.length > 0 ? <Menu.Divider /> : null}
        {user === null ? <Menu.Item onClick={() => setAddingTenant(true)}>Sign in to another tenant…</Menu.Item> : null}
      </Menu.Dropdown>
    </Menu>
  );
}
