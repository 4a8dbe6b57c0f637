import { AppShell } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useAlertChangesRefresh } from '../hooks/use-alerts.ts';
import { useLiveFeed } from '../hooks/use-live-feed.ts';
import type { TRoutePath } from '../lib/routes.ts';
import { AppHeader } from './app-header.tsx';
import { AppNavbar } from './app-navbar.tsx';

interface AppLayoutProps {
  activePath: TRoutePath;
  children: ReactNode;
}

export function AppLayout({ activePath, children }: AppLayoutProps) {
  const [navbarOpened, { toggle: toggleNavbar, close: closeNavbar }] = useDisclosure(false);
  // One live stream per tab, here, for every page; the navigation's badge of firing rules follows it.
  useLiveFeed();
  useAlertChangesRefresh();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navbarOpened } }} padding="md">
      <AppShell.Header>
        <AppHeader navbarOpened={navbarOpened} onToggleNavbar={toggleNavbar} />
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppNavbar activePath={activePath} onNavigate={closeNavbar} />
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
