import { z } from 'zod';

/** Error codes the API returns in `error.data.appCode` (tRPC) and `error.code` (REST). */
export const ZAppErrorCode = z.enum([
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'QUOTA_EXCEEDED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
]);
export type TAppErrorCode = z.infer<typeof ZAppErrorCode>;

/** Body of every REST error response. */
export const ZRestErrorResponse = z.object({
  error: z.object({
    code: ZAppErrorCode,
    message: z.string().describe('What was wrong and what to do about it.'),
  }),
});
export type TRestErrorResponse = z.infer<typeof ZRestErrorResponse>;
