import { ZMemberList } from '@pulse/shared/members';
import { membersProcedure } from '../../trpc/trpc.ts';

export const listMembers = membersProcedure.output(ZMemberList).query(({ ctx }) => ctx.services.members.list(ctx.principal));
