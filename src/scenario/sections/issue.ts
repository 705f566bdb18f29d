/** How a section's normaliser reports a problem: the field's path, the message, and a did-you-mean. */
import type { z } from 'zod';

export type Issue = (path: (string | number)[], message: string, suggestion?: string) => void;

/** An `Issue` that adds to zod's context, so normalisers' problems read like the schema's own. */
export function issueOn(ctx: z.RefinementCtx): Issue {
  return (path, message, suggestion) => ctx.addIssue({ code: 'custom', path, message, ...(suggestion === undefined ? {} : { params: { suggestion } }) });
}
