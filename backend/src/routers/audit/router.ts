import { ZAuditListRequest, ZAuditPage } from '@pulse/shared/audit';
import { auditProcedure, router } from '../../trpc/trpc.ts';

/** The tenant's audit log, newest first, a page at a time. */
const list = auditProcedure
  .input(ZAuditListRequest)
  .output(ZAuditPage)
  .query(({ ctx, input }) => ctx.services.audit.list(ctx.principal.tenant.id, input.limit, input.before));

export const auditRouter = router({ list });
