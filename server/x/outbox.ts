/**
 * The transactional outbox of the bot's replies: a payment change that deserves a reply writes its row in
 * the same transaction (`enqueueReply`), so a reply exists if and only if the change committed; the
 * worker in `bot.ts` sends it. Nothing is written while the bot has no credentials (no `x_bot_tokens`
 * row), so nothing piles up.
 */
import type { Queryable } from '../db';

export type ReplyKind = 'receipt' | 'invitation';

export async function enqueueReply(
  tx: Queryable,
  p: { id: string; mode: string; tweet_id: string | null },
  kind: ReplyKind,
  now: Date,
): Promise<void> {
  if (p.mode !== 'tweet' || !p.tweet_id) return;
  await tx.query(
    `INSERT INTO x_outbox (payment_id, kind, in_reply_to, lang, created_at, next_attempt_at)
     SELECT $1, $2, $3, CASE WHEN t.lang LIKE 'en%' THEN 'en' ELSE 'fr' END, $4, $4
       FROM x_bot_tokens b LEFT JOIN x_tweets t ON t.tweet_id = $3
     ON CONFLICT (payment_id, kind) DO NOTHING`,
    [p.id, kind, p.tweet_id, now],
  );
}
