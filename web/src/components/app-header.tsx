import { Burger, Button, Group, Title } from '@mantine/core';
import { useSessionTenants } from '../hooks/use-session.ts';
import { ColorSchemeToggle } from './color-scheme-toggle.tsx';
import { RunModeBadge } from './run-mode-badge.tsx';
import { TenantLabel } from './tenant-label.tsx';
import { UserMenu } from './user-menu.tsx';

interface AppHeaderProps {
  navbarOpened: boolean;
  onToggleNavbar: () => void;
}

export function AppHeader({ navbarOpened, onToggleNavbar }: AppHeaderProps) {
  const { signOut } = useSessionTenants();
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Burger opened={navbarOpened} onClick={onToggleNavbar} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
        <Title order={3}>Pulse</Title>
        <RunModeBadge />
      </Group>
      <Group gap="sm" wrap="nowrap">
        <TenantLabel />
        <UserMenu />
        <ColorSchemeToggle />
        <Button variant="default" size="xs" onClick={() => signOut()}>
          Sign out
        </Button>
      </Group>
    </Group>
  );
}
