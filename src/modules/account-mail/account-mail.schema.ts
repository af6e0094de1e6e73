import { z } from 'zod';
import { password } from '../accounts/accounts.schema.js';

/** "Forgot your password?": a username or an e-mail address. */
export const resetRequestInput = z.object({ login: z.string().trim().toLowerCase().min(1).max(320) });

/** A reset link's token and the new password. */
export const resetConfirmInput = z.object({ token: z.string().min(1).max(200), password });

/** Which of one's addresses to send a verification link to. */
export const verifyRequestInput = z.object({ email: z.string().trim().toLowerCase().min(1).max(320) });
