import { Button, Container, Divider, Stack, Text, Title } from '@mantine/core';
import { KeySignInForm } from '../components/key-sign-in-form.tsx';
import { PasswordSignInForm } from '../components/password-sign-in-form.tsx';
import { SignInNotice } from '../components/sign-in-notice.tsx';
import { useAddingTenant, useSessionStore } from '../stores/session-store.ts';

export function SignInPage() {
  const addingTenant = useAddingTenant();
  return (
    <Container size={420} py={80}>
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={1}>Pulse</Title>
          <Text c="dimmed">
            {addingTenant
              ? 'Sign in to another tenant with its read or admin API key; you can switch back from the tenant menu.'
              : 'Sign in with your email and password, or with a read or admin API key of your tenant.'}
          </Text>
        </Stack>
        <SignInNotice />
        {/* Signing in as a person replaces the browser's key session, so adding a tenant is done with a key. */}
        {addingTenant ? null : <PasswordSignInForm />}
        {addingTenant ? null : <Divider label="or with an API key" labelPosition="center" />}
        <KeySignInForm autoFocus={addingTenant} />
        {addingTenant ? (
          <Button variant="subtle" onClick={() => useSessionStore.getState().setAddingTenant(false)}>
            Back to the dashboard
          </Button>
        ) : null}
      </Stack>
    </Container>
  );
}
