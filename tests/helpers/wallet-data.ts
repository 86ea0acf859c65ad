/**
 * Wallet data for tests, as the wallet API answers it (core/wallet-types.ts): @alice paying @bob. Each builder
 * takes what a test cares about as overrides; everything else is a plausible, fixed value.
 */
import { DEFAULT_CONFIG } from '../../core/rules';
import type { Me, Payment, Recipient } from '../../core/wallet-types';
import type { ConfirmContext } from '../../utils/messaging';

const AT = '2026-11-23T09:00:00.000Z';
export const POST_ID = '1790000000000000001';

export function aMe(over: Partial<Me> = {}): Me {
  return {
    id: 'a1',
    email: 'alice@example.com',
    displayName: 'Alice',
    kind: 'person',
    xHandle: 'alice',
    xUserId: '1',
    balance: { availableCents: 10_000, heldCents: 0 },
    currency: 'EUR',
    ...over,
  };
}

export function aRecipient(over: Partial<Recipient> = {}): Recipient {
  return {
    handle: 'bob',
    registered: true,
    displayName: 'Bob Dupont',
    kind: 'person',
    limitCents: 25_000,
    feeBps: 0,
    ...over,
  };
}

export function aPayment(over: Partial<Payment> = {}): Payment {
  return {
    id: 'p1',
    direction: 'sent',
    payer: { handle: 'alice', displayName: 'Alice' },
    recipient: { handle: 'bob', displayName: 'Bob', registered: true },
    amountCents: 500,
    feeCents: 0,
    currency: 'EUR',
    message: null,
    mode: 'tweet',
    status: 'completed',
    tweetText: '@SMoneyfr #envoyer 5EUR @bob',
    tweetId: null,
    replyToTweetId: null,
    createdAt: AT,
    updatedAt: AT,
    expiresAt: null,
    ...over,
  };
}

/** What the confirm window gets for a pay request from a post: the request, the recipient, the config, the payer. */
export function aConfirmContext(
  over: { recipient?: Partial<Recipient>; me?: Partial<Me> } = {},
): ConfirmContext {
  return {
    request: {
      requestId: 'r1',
      recipientHandle: 'bob',
      tweetId: POST_ID,
      source: 'tweet',
      tabId: 7,
      createdAt: AT,
    },
    recipient: aRecipient(over.recipient),
    config: DEFAULT_CONFIG,
    me: aMe(over.me),
  };
}
