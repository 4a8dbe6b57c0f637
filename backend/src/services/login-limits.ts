import { createHash } from 'node:crypto';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error.ts';

export interface LoginLimitOptions {
  /** Failed sign-ins per account (email, known or not) per window before that account is refused for the rest of it. */
  perAccount: number;
  /** Failed sign-ins per client address per window, across accounts: slows password spraying. */
  perAddress: number;
  windowSeconds: number;
  /** A limiter over that window (Redis in services mode, so every instance counts together). */
  createLimiter(name: string, points: number, windowSeconds: number): RateLimiterAbstract;
}

/**
 * Limits on failed sign-ins, per account and per address. They count before the password is checked and the
 * same way for emails that have no account, so being refused says nothing about whether an account exists.
 */
export class LoginLimits {
  private readonly byAccount: RateLimiterAbstract;
  private readonly byAddress: RateLimiterAbstract;

  constructor(private readonly options: LoginLimitOptions) {
    this.byAccount = options.createLimiter('login-account', options.perAccount, options.windowSeconds);
    this.byAddress = options.createLimiter('login-address', options.perAddress, options.windowSeconds);
  }

  /** Throws RATE_LIMITED when the account or the address has used up its failures for the window. */
  async assertAllowed(email: string, clientAddress: string): Promise<void> {
    const [account, address] = await Promise.all([this.byAccount.get(accountKey(email)), this.byAddress.get(clientAddress)]);
    if (account && account.consumedPoints >= this.options.perAccount) throw refusal('this account', account);
    if (address && address.consumedPoints >= this.options.perAddress) throw refusal('this address', address);
  }

  async recordFailure(email: string, clientAddress: string): Promise<void> {
    await Promise.all([ignoreRefusal(this.byAccount.consume(accountKey(email))), ignoreRefusal(this.byAddress.consume(clientAddress))]);
  }

  /** A right password clears the account's count: its owner is not locked out by their own earlier typos. */
  async recordSuccess(email: string): Promise<void> {
    await this.byAccount.delete(accountKey(email));
  }
}

/** Emails do not go to Redis as they are. */
function accountKey(email: string): string {
  return createHash('sha256').update(email).digest('base64url');
}

function refusal(what: string, state: RateLimiterRes): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1_000));
  return new AppError('RATE_LIMITED', `too many failed sign-ins from ${what}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}

async function ignoreRefusal(consumed: Promise<unknown>): Promise<void> {
  await consumed.catch((error: unknown) => {
    if (!(error instanceof RateLimiterRes)) throw error;
  });
}
