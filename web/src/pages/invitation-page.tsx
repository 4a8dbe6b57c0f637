import { Alert, Button, Center, Container, List, Loader, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { PERMISSION_LABELS, ROLE_PERMISSIONS, type TRole } from '@pulse/shared/roles';
import { InvitationAccountForm } from '../components/invitation-account-form.tsx';
import { RefusalAlert } from '../components/refusal-alert.tsx';
import { useInvitation } from '../hooks/use-invitation.ts';
import { formatInstant } from '../lib/format.ts';
import { article } from '../lib/permissions.ts';
import { describeError } from '../lib/trpc-errors.ts';
import { useSessionStore } from '../stores/session-store.ts';

const closeInvitation = () => useSessionStore.getState().closeInvitation();

interface InvitationPageProps {
  token: string;
  /**
   * The email of the person signed in, if one is. From the App's answer: a second observer of a refused
   * `auth.whoAmI` here would ask again on mount, and the App would show its loader instead of this page.
   */
  signedInAs: string | null;
}

/** An invitation link (`?invitation=`): what it invites to, and joining as the person signed in or with an account. */
export function InvitationPage({ token, signedInAs }: InvitationPageProps) {
  const { preview, accept, acceptError, isAccepting } = useInvitation(token);

  return (
    <Container size={460} py={80}>
      <Stack gap="lg">
        <Title order={1}>Pulse</Title>
        {isAccepting ? (
          <Center py="xl">
            <Loader />
          </Center>
        ) : preview.data ? (
          <Paper withBorder p="lg" data-testid="invitation-preview">
            <Stack>
              <Title order={3}>
                Join {preview.data.tenantName} as {preview.data.role}
              </Title>
              <RoleAbilities role={preview.data.role} />
              <Text size="sm" c="dimmed">
                This link works once, until {formatInstant(preview.data.expiresAt)}.
              </Text>
              {signedInAs ? (
                <Button onClick={() => accept({ account: 'signed-in' })} data-testid="invitation-accept-signed-in">
                  Accept as {signedInAs}
                </Button>
              ) : (
                <InvitationAccountForm accepting={isAccepting} onAccept={accept} />
              )}
            </Stack>
          </Paper>
        ) : preview.isError ? (
          <Alert color="yellow" variant="light" title="This invitation no longer works" data-testid="invitation-gone">
            {describeError(preview.error).detail}
          </Alert>
        ) : (
          <Skeleton height={220} />
        )}
        <RefusalAlert error={acceptError} title="Not joined" />
        <Button variant="subtle" onClick={closeInvitation} disabled={isAccepting}>
          {preview.isError ? 'Continue' : 'Not now'}
        </Button>
      </Stack>
    </Container>
  );
}

function RoleAbilities({ role }: { role: TRole }) {
  return (
    <Stack gap={4}>
      <Text size="sm">
        As {article(role)} {role} you may:
      </Text>
      <List size="sm">
        {ROLE_PERMISSIONS[role].map((permission) => (
          <List.Item key={permission}>{PERMISSION_LABELS[permission]}</List.Item>
        ))}
      </List>
    </Stack>
  );
}
