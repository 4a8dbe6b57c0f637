import { Center, Loader } from '@mantine/core';
import type { JSX } from 'react';
import { AppLayout } from './components/app-layout.tsx';
import { useHashRoute } from './hooks/use-hash-route.ts';
import { useWhoAmI } from './hooks/use-who-am-i.ts';
import type { TRoutePath } from './lib/routes.ts';
import { isUnauthorized } from './lib/trpc-errors.ts';
import { AlertsPage } from './pages/alerts-page.tsx';
import { AuditPage } from './pages/audit-page.tsx';
import { BoardsPage } from './pages/boards-page.tsx';
import { EventsPage } from './pages/events-page.tsx';
import { FunnelsPage } from './pages/funnels-page.tsx';
import { GeneratorPage } from './pages/generator-page.tsx';
import { GoalsPage } from './pages/goals-page.tsx';
import { HighLoadPage } from './pages/high-load-page.tsx';
import { InvitationPage } from './pages/invitation-page.tsx';
import { KeysPage } from './pages/keys-page.tsx';
import { LivePage } from './pages/live-page.tsx';
import { MembersPage } from './pages/members-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { RetentionPage } from './pages/retention-page.tsx';
import { SettingsPage } from './pages/settings-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { SystemPage } from './pages/system-page.tsx';
import { TimelinePage } from './pages/timeline-page.tsx';
import { TrackingPage } from './pages/tracking-page.tsx';
import { useAddingTenant, useInvitationToken, useSignOutReason } from './stores/session-store.ts';

const PAGES: Record<TRoutePath, () => JSX.Element> = {
  overview: OverviewPage,
  boards: BoardsPage,
  funnels: FunnelsPage,
  retention: RetentionPage,
  goals: GoalsPage,
  alerts: AlertsPage,
  events: EventsPage,
  timeline: TimelinePage,
  live: LivePage,
  generator: GeneratorPage,
  'high-load': HighLoadPage,
  system: SystemPage,
  tracking: TrackingPage,
  keys: KeysPage,
  members: MembersPage,
  audit: AuditPage,
  settings: SettingsPage,
};

export function App() {
  const whoAmI = useWhoAmI();
  const signOutReason = useSignOutReason();
  const addingTenant = useAddingTenant();
  const invitationToken = useInvitationToken();
  const route = useHashRoute();
  if (whoAmI.isPending) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  // An invitation link is answered first, whoever is signed in: it may be the way in.
  if (invitationToken) return <InvitationPage token={invitationToken} signedInAs={whoAmI.data?.user?.email ?? null} />;
  // A refused sign-in link does not end a session the browser already has: it only explains the sign-in page.
  const signedOut = signOutReason === 'key-rejected' || (whoAmI.isError && isUnauthorized(whoAmI.error));
  if (signedOut || addingTenant) return <SignInPage />;
  const Page = PAGES[route];
  return (
    <AppLayout activePath={route}>
      <Page />
    </AppLayout>
  );
}
