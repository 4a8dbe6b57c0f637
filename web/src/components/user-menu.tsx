import { Button, Menu } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useAccount } from '../hooks/use-account.ts';
import { useWhoAmI } from '../hooks/use-who-am-i.ts';
import { ChangePasswordModal } from './change-password-modal.tsx';

/** The signed-in person (nothing for a key session): their email, changing their password, signing out everywhere. */
export function UserMenu() {
  const email = useWhoAmI().data?.user?.email;
  const { signOutEverywhere } = useAccount();
  const [changingPassword, { open: openChangePassword, close: closeChangePassword }] = useDisclosure(false);
  if (!email) return null;
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="subtle" size="xs" data-testid="user-menu">
            {email}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Signed in as {email}</Menu.Label>
          <Menu.Item onClick={openChangePassword} data-testid="change-password">
            Change password
          </Menu.Item>
          <Menu.Item onClick={() => signOutEverywhere.mutate()} data-testid="sign-out-everywhere">
            Sign out everywhere
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePasswordModal opened={changingPassword} onClose={closeChangePassword} />
    </>
  );
}
