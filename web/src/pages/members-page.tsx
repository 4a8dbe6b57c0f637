import { Skeleton, Stack, Title } from '@mantine/core';
import type { TRole } from '@pulse/shared/roles';
import { ErrorAlert } from '../components/error-alert.tsx';
import { InvitationTable } from '../components/invitation-table.tsx';
import { InviteForm } from '../components/invite-form.tsx';
import { MemberTable } from '../components/member-table.tsx';
import { MembershipCard } from '../components/membership-card.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PermissionAlert } from '../components/permission-alert.tsx';
import { useMembers } from '../hooks/use-members.ts';
import { usePermission } from '../hooks/use-permission.ts';
import { useWhoAmI } from '../hooks/use-who-am-i.ts';

export function MembersPage() {
  const whoAmI = useWhoAmI().data;
  const manageMembers = usePermission('manageMembers');
  return (
    <Stack gap="lg">
      <PageHeader
        title="Members"
        description="The people who may sign in to this tenant, and what each may do. Invite someone with a one-time link; a change of role applies at their next click."
      />
      <PermissionAlert check={manageMembers} title={`Managing members needs ${manageMembers.needs}`} testId="members-read-only" />
      {manageMembers.allowed ? <MemberManager myRole={whoAmI?.role ?? null} /> : null}
      <MembershipCard />
    </Stack>
  );
}

function MemberManager({ myRole }: { myRole: TRole | null }) {
  const { list, invite, revokeInvitation, changeRole, remove } = useMembers();
  const busyUserId = changeRole.isPending ? changeRole.variables.userId : remove.isPending ? remove.variables.userId : null;
  const error = changeRole.error ?? remove.error ?? invite.error ?? revokeInvitation.error;
  return (
    <>
      {error ? <ErrorAlert error={error} /> : null}
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isPending ? <Skeleton height={160} /> : null}
      {list.data ? (
        <MemberTable
          members={list.data.members}
          myRole={myRole}
          onChangeRole={(member, role) => changeRole.mutate({ userId: member.userId, role })}
          onRemove={(member) => remove.mutate({ userId: member.userId })}
          busyUserId={busyUserId}
        />
      ) : null}
      <Title order={3}>Invite someone</Title>
      <InviteForm myRole={myRole} onInvite={(request) => invite.mutate(request)} inviting={invite.isPending} created={invite.data} />
      <Title order={4}>Pending invitations</Title>
      {list.data ? (
        <InvitationTable
          invitations={list.data.invitations}
          onRevoke={(invitation) => revokeInvitation.mutate({ id: invitation.id })}
          revokingId={revokeInvitation.isPending ? revokeInvitation.variables.id : null}
        />
      ) : null}
    </>
  );
}
