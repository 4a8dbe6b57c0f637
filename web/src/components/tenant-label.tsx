import { Badge, Group, Menu, Skeleton, Text, UnstyledButton } from '@mantine/core';
import { useEffect } from 'react';
import { useWhoAmI } from '../hooks/use-who-am-i.ts';
import { trpc } from '../lib/trpc.ts';
import { useSessionStore } from '../stores/session-store.ts';

/** The signed-in tenant, and a menu to switch to another key this browser has used. */
export function TenantLabel() {
  const whoAmI = useWhoAmI();
  const apiKey = useSessionStore((state) => state.apiKey);
  const knownKeys = useSessionStore((state) => state.knownKeys);
  const signIn = useSessionStore((state) => state.signIn);
  const signOut = useSessionStore((state) => state.signOut);
  const rememberKey = useSessionStore((state) => state.rememberKey);
  const utils = trpc.useUtils();

  useEffect(() => {
    if (apiKey && whoAmI.data) rememberKey({ apiKey, tenantName: whoAmI.data.tenant.name, scope: whoAmI.data.scope });
  }, [apiKey, whoAmI.data, rememberKey]);

  if (whoAmI.isPending) return <Skeleton height={22} width={140} />;
  if (whoAmI.isError) {
    return (
      <Text size="sm" c="red" title={whoAmI.error.message}>
        Tenant unknown
      </Text>
    );
  }
  const { tenant, scope } = whoAmI.data;
  const others = knownKeys.filter((known) => known.apiKey !== apiKey);
  const switchTo = (key: string) => {
    signIn(key);
    // Every answer on screen belongs to the previous tenant.
    void utils.invalidate();
  };
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
        {others.map((known) => (
          <Menu.Item key={known.apiKey} onClick={() => switchTo(known.apiKey)} data-testid={`switch-to-${known.tenantName}`}>
            {known.tenantName} <Text span c="dimmed" size="xs">({known.scope} key)</Text>
          </Menu.Item>
        ))}
        {others.length > 0 ? <Menu.Divider /> : null}
        <Menu.Item onClick={() => signOut()}>Use another key…</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
