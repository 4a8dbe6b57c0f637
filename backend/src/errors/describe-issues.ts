import type { z } from 'zod';

/** A Zod error as one readable line: "batch.0.timestamp: Invalid ISO datetime; from: must be before to". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
