import { z } from 'zod';
import { newMemberInput } from '../invitations/invitations.schema.js';

/** A self-registration request: the new member's fields and an optional message for the admins. */
export const registrationInput = newMemberInput.extend({
  message: z.string().trim().max(2000).optional().transform((v) => v || undefined),
});

/** An admin's refusal, with an optional reason. */
export const refusalInput = z.object({
  reason: z.string().trim().max(1000).optional().transform((v) => v || undefined),
});

/** Which requests a list shows. */
export const registrationStatusFilter = z.enum(['pending', 'accepted', 'refused', 'all']).default('pending');
