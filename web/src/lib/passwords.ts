import { ZNewPassword } from '@pulse/shared/auth';

/** How long a new password must be, as the server checks it. */
export const NEW_PASSWORD_MIN_LENGTH = ZNewPassword.minLength ?? 1;
