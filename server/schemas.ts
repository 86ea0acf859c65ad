/**
 * Request and response schemas, declared once: they validate requests, type the handlers and generate the
 * served OpenAPI document. The type checks at the bottom hold them to core/wallet-types.ts.
 */
import { z } from '@hono/zod-openapi';
import { ERROR_CODES } from '../core/wallet-types';
import type {
  Balance,
  CreatePaymentBody,
  Me,
  Payment,
  PaymentList,
  Problem,
  Recipient,
  TokenPair,
  WalletConfig,
} from '../core/wallet-types';

import { HANDLE_RE, X_USER_ID_RE, TWEET_ID_RE } from '../core/x-ids';

const Handle = z
  .string()
  .regex(HANDLE_RE, 'an X handle: 1–15 letters, digits or _')
  .openapi({ example: 'alice' });
const Cents = z.number().int().safe();
const XUserId = z.string().regex(X_USER_ID_RE, 'a numeric X user id');
const TweetId = z.string().regex(TWEET_ID_RE, 'a numeric post id');
const Kind = z.enum(['person', 'association', 'business']);
const Status = z.enum([
  'awaiting_tweet',
  'awaiting_confirmation',
  'claimable',
  'completed',
  'canceled',
  'refunded',
  'failed',
]);

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(ERROR_CODES),
  })
  .openapi('Problem');

export const HealthSchema = z
  .object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']) })
  .openapi('Health');

export const ConfigSchema = z
  .object({
    botHandle: z.string(),
    hashtag: z.string(),
    currency: z.literal('EUR'),
    limits: z.object({ personCents: Cents, associationCents: Cents, unregisteredCents: Cents }),
    minCents: Cents,
    claimDays: z.number().int(),
    confirmMinutes: z.number().int(),
    businessFeeBps: z.object({ min: z.number().int(), max: z.number().int() }),
  })
  .openapi('WalletConfig');

export const SignUpSchema = z
  .object({
    email: z.email().max(254),
    password: z.string().min(10, 'at least 10 characters').max(200),
    displayName: z.string().trim().min(1).max(80),
    kind: Kind.optional(),
  })
  .openapi('SignUp');

export const LoginSchema = z
  .object({ email: z.string().min(1).max(254), password: z.string().min(1).max(200) })
  .openapi('Login');
export const RefreshSchema = z.object({ refreshToken: z.string().min(1).max(200) }).openapi('Refresh');

export const TokenPairSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
  })
  .openapi('TokenPair');

const BalanceSchema = z.object({ availableCents: Cents, heldCents: Cents });

export const MeSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    kind: Kind,
    xHandle: z.string().nullable(),
    xUserId: z.string().nullable(),
    balance: BalanceSchema,
    currency: z.literal('EUR'),
  })
  .openapi('Me');

export const LinkXAccountSchema = z.object({ handle: Handle, xUserId: XUserId }).openapi('LinkXAccount');
export const TopUpSchema = z
  .object({ amountCents: Cents.min(1).max(100_000, 'at most 1000 € per top-up') })
  .openapi('TopUp');

export const RecipientSchema = z
  .object({
    handle: z.string(),
    registered: z.boolean(),
    displayName: z.string().optional(),
    kind: Kind,
    limitCents: Cents,
    feeBps: z.number().int(),
  })
  .openapi('Recipient');

export const CreatePaymentSchema = z
  .object({
    recipientHandle: Handle,
    amountCents: Cents,
    currency: z.literal('EUR'),
    message: z.string().max(280).optional(),
    mode: z.enum(['tweet', 'private']),
    replyToTweetId: TweetId.optional(),
  })
  .openapi('CreatePayment');

const Party = z.object({ handle: z.string().nullable(), displayName: z.string().nullable() });

export const PaymentSchema = z
  .object({
    id: z.string(),
    direction: z.enum(['sent', 'received']),
    payer: Party,
    recipient: Party.extend({ registered: z.boolean() }),
    amountCents: Cents,
    feeCents: Cents,
    currency: z.literal('EUR'),
    message: z.string().nullable(),
    mode: z.enum(['tweet', 'private']),
    status: Status,
    failureReason: z.string().nullable().optional(),
    tweetText: z.string().nullable(),
    tweetId: z.string().nullable(),
    replyToTweetId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    expiresAt: z.string().nullable(),
  })
  .openapi('Payment');

export const PaymentListSchema = z
  .object({ items: z.array(PaymentSchema), nextCursor: z.string().nullable() })
  .openapi('PaymentList');

export const PaymentListQuerySchema = z.object({
  status: z
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .refine((s) => s.split(',').every((x) => Status.safeParse(x).success), 'unknown status')
    .optional()
    .openapi({ description: 'one status or a comma-separated list', example: 'awaiting_confirmation' }),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z
    .string()
    .regex(/^[0-9]{1,18}$/)
    .optional(),
});

export const IdParamSchema = z.object({ id: z.string().min(1).max(64) });
export const HandleParamSchema = z.object({ handle: Handle });

export const IdempotencyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x20-\x7E]{1,255}$/, '1–255 printable ASCII characters')
    .openapi({ description: 'Idempotency-Key (required)', example: '018f2b0e-…' }),
});

export const CrcQuerySchema = z.object({ crc_token: z.string().min(1).max(512) });
export const CrcResponseSchema = z.object({ response_token: z.string() }).openapi('CrcResponse');

// ---- type-level checks: the schemas produce exactly the shared DTOs ----
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const checks: [
  Same<z.infer<typeof PaymentSchema>, Payment>,
  Same<z.infer<typeof PaymentListSchema>, PaymentList>,
  Same<z.infer<typeof MeSchema>, Me>,
  Same<z.infer<typeof BalanceSchema>, Balance>,
  Same<z.infer<typeof RecipientSchema>, Recipient>,
  Same<z.infer<typeof ConfigSchema>, WalletConfig>,
  Same<z.infer<typeof TokenPairSchema>, TokenPair>,
  Same<z.infer<typeof ProblemSchema>, Problem>,
  Same<z.infer<typeof CreatePaymentSchema>, CreatePaymentBody>,
] = [true, true, true, true, true, true, true, true, true];
void checks;
