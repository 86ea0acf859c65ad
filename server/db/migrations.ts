import type { Db } from './types';

/**
 * The schema, as ordered migrations applied once each at start (table `schema_migrations`), the same SQL
 * on PGlite and PostgreSQL. Never edit a released migration: add a new one.
 *
 * Ledger model: `accounts.balance_cents` is the posted balance of a user account (never negative: CHECK).
 * System accounts (settlement, holds, escrow, fees) keep `balance_cents` at 0 and their balance is derived
 * from `transfers` (no hot row to lock on every payment). Every movement is one append-only `transfers`
 * row (a trigger refuses UPDATE and DELETE); the sum of all balances is zero by construction.
 */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('person', 'association', 'business', 'system')),
  email TEXT UNIQUE CHECK (email = lower(email)),
  password_hash TEXT,
  display_name TEXT NOT NULL,
  x_handle TEXT,
  x_user_id TEXT UNIQUE,
  fee_bps INTEGER CHECK (fee_bps IS NULL OR (fee_bps BETWEEN 100 AND 200)),
  balance_cents BIGINT NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL,
  CONSTRAINT accounts_user_balance_not_negative CHECK (kind = 'system' OR balance_cents >= 0),
  CONSTRAINT accounts_system_balance_derived CHECK (kind <> 'system' OR balance_cents = 0)
);
CREATE UNIQUE INDEX accounts_x_handle_key ON accounts (lower(x_handle));

INSERT INTO accounts (id, kind, display_name, created_at) VALUES
  ('sys_settlement', 'system', 'Settlement (card top-ups, money from outside)', now()),
  ('sys_holds', 'system', 'Holds (payments awaiting a tweet or a confirmation)', now()),
  ('sys_escrow', 'system', 'Escrow (claimable payments)', now()),
  ('sys_fees', 'system', 'Fee revenue', now());

CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  seq BIGSERIAL UNIQUE,
  payer_id TEXT NOT NULL REFERENCES accounts (id),
  recipient_id TEXT REFERENCES accounts (id),
  recipient_handle TEXT NOT NULL,
  recipient_x_user_id TEXT,
  amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
  fee_cents BIGINT NOT NULL DEFAULT 0 CHECK (fee_cents >= 0 AND fee_cents <= amount_cents),
  currency TEXT NOT NULL DEFAULT 'EUR' CHECK (currency = 'EUR'),
  message TEXT,
  mode TEXT NOT NULL CHECK (mode IN ('tweet', 'private')),
  status TEXT NOT NULL CHECK (status IN ('awaiting_tweet', 'awaiting_confirmation', 'claimable', 'completed',
    'canceled', 'refunded', 'failed')),
  failure_reason TEXT,
  tweet_text TEXT,
  tweet_id TEXT UNIQUE,
  reply_to_tweet_id TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ
);
CREATE INDEX payments_payer ON payments (payer_id, seq DESC);
CREATE INDEX payments_recipient ON payments (recipient_id, seq DESC);
CREATE INDEX payments_expiry ON payments (expires_at) WHERE status IN ('awaiting_tweet', 'awaiting_confirmation', 'claimable');
CREATE INDEX payments_claimable_handle ON payments (lower(recipient_handle)) WHERE status = 'claimable';
CREATE INDEX payments_claimable_x_user ON payments (recipient_x_user_id) WHERE status = 'claimable';

CREATE TABLE transfers (
  id BIGSERIAL PRIMARY KEY,
  debit_account_id TEXT NOT NULL REFERENCES accounts (id),
  credit_account_id TEXT NOT NULL REFERENCES accounts (id),
  amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
  kind TEXT NOT NULL,
  payment_id TEXT REFERENCES payments (id),
  created_at TIMESTAMPTZ NOT NULL,
  CHECK (debit_account_id <> credit_account_id)
);
CREATE INDEX transfers_debit ON transfers (debit_account_id);
CREATE INDEX transfers_credit ON transfers (credit_account_id);
CREATE INDEX transfers_payment ON transfers (payment_id);

CREATE FUNCTION transfers_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'transfers are append-only: post a correcting transfer instead';
END
$$;
CREATE TRIGGER transfers_append_only BEFORE UPDATE OR DELETE ON transfers
  FOR EACH ROW EXECUTE FUNCTION transfers_append_only();

CREATE TABLE idempotency_keys (
  account_id TEXT NOT NULL REFERENCES accounts (id),
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status_code INTEGER,
  response_body TEXT,
  locked_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE token_families (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);
CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES token_families (id),
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at TIMESTAMPTZ
);
CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES token_families (id),
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX access_tokens_family ON access_tokens (family_id);

CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE x_events (
  id BIGSERIAL PRIMARY KEY,
  body TEXT NOT NULL,
  received_at TIMESTAMPTZ NOT NULL,
  processed_at TIMESTAMPTZ,
  outcome TEXT
);
CREATE INDEX x_events_unprocessed ON x_events (id) WHERE processed_at IS NULL;
CREATE TABLE x_tweets (
  tweet_id TEXT PRIMARY KEY,
  event_id BIGINT REFERENCES x_events (id),
  x_user_id TEXT,
  outcome TEXT NOT NULL,
  payment_id TEXT REFERENCES payments (id),
  created_at TIMESTAMPTZ NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'post_transfers: one ledger posting in one statement',
    sql: `
CREATE FUNCTION post_transfers(
  p_accounts TEXT[], p_deltas BIGINT[],
  p_debits TEXT[], p_credits TEXT[], p_amounts BIGINT[], p_kinds TEXT[],
  p_payment_id TEXT, p_at TIMESTAMPTZ
) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  i INTEGER;
BEGIN
  -- User balances move in the order given (the caller sorts by id, so two postings never deadlock), each
  -- debit only if the balance covers it; otherwise the whole statement fails (SQLSTATE WL001) and writes nothing.
  FOR i IN 1 .. coalesce(array_length(p_accounts, 1), 0) LOOP
    UPDATE accounts SET balance_cents = balance_cents + p_deltas[i]
      WHERE id = p_accounts[i] AND (p_deltas[i] >= 0 OR balance_cents >= -p_deltas[i]);
    IF NOT FOUND THEN
      IF p_deltas[i] < 0 AND EXISTS (SELECT 1 FROM accounts WHERE id = p_accounts[i]) THEN
        RAISE EXCEPTION 'insufficient funds' USING ERRCODE = 'WL001', DETAIL = p_accounts[i];
      END IF;
      RAISE EXCEPTION 'unknown account %', p_accounts[i] USING ERRCODE = 'WL002';
    END IF;
  END LOOP;
  INSERT INTO transfers (debit_account_id, credit_account_id, amount_cents, kind, payment_id, created_at)
    SELECT t.d, t.c, t.a, t.k, p_payment_id, p_at FROM unnest(p_debits, p_credits, p_amounts, p_kinds) AS t(d, c, a, k);
END
$$;
`,
  },
  {
    version: 3,
    name: 'create_payment_once: a new payment, its legs and its stored answer in one statement',
    sql: `
-- POST /v1/payments in one round trip and one transaction: the Idempotency-Key row is written already
-- answered, together with the payment and its ledger legs, or nothing is written at all. A second request
-- with the same key that arrives while the first runs gets 'in_flight' at once (transaction advisory lock
-- on the key) instead of waiting; one that arrives after gets the stored key ('exists') to replay or refuse.
-- p_payment NULL stores an answer that moves no money (a refusal). A claim left without an answer by a
-- request that died (older than p_stale_before) is replaced.
CREATE FUNCTION create_payment_once(
  p_account TEXT, p_key TEXT, p_hash TEXT, p_at TIMESTAMPTZ, p_stale_before TIMESTAMPTZ,
  p_status INTEGER, p_body TEXT, p_payment JSONB,
  p_accounts TEXT[], p_deltas BIGINT[],
  p_debits TEXT[], p_credits TEXT[], p_amounts BIGINT[], p_kinds TEXT[]
) RETURNS TABLE (outcome TEXT, request_hash TEXT, status_code INTEGER, response_body TEXT)
LANGUAGE plpgsql AS $$
DECLARE
  k idempotency_keys%ROWTYPE;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtextextended(p_account || E'\\n' || p_key, 7366002)) THEN
    RETURN QUERY SELECT 'in_flight'::TEXT, NULL::TEXT, NULL::INTEGER, NULL::TEXT;
    RETURN;
  END IF;
  SELECT * INTO k FROM idempotency_keys i WHERE i.account_id = p_account AND i.key = p_key;
  IF FOUND THEN
    IF k.status_code IS NOT NULL OR k.request_hash <> p_hash OR k.locked_at >= p_stale_before THEN
      RETURN QUERY SELECT 'exists'::TEXT, k.request_hash, k.status_code, k.response_body;
      RETURN;
    END IF;
    DELETE FROM idempotency_keys i WHERE i.account_id = p_account AND i.key = p_key;
  END IF;
  INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response_body, locked_at, created_at)
    VALUES (p_account, p_key, p_hash, p_status, p_body, p_at, p_at);
  IF p_payment IS NOT NULL THEN
    INSERT INTO payments (id, payer_id, recipient_id, recipient_handle, recipient_x_user_id, amount_cents,
      fee_cents, message, mode, status, tweet_text, tweet_id, reply_to_tweet_id, failure_reason, created_at,
      updated_at, expires_at)
    SELECT r.id, r.payer_id, r.recipient_id, r.recipient_handle, r.recipient_x_user_id, r.amount_cents,
      r.fee_cents, r.message, r.mode, r.status, r.tweet_text, r.tweet_id, r.reply_to_tweet_id, r.failure_reason,
      r.created_at, r.updated_at, r.expires_at
    FROM jsonb_populate_record(NULL::payments, p_payment) AS r;
    PERFORM post_transfers(p_accounts, p_deltas, p_debits, p_credits, p_amounts, p_kinds, p_payment->>'id', p_at);
  END IF;
  RETURN QUERY SELECT 'stored'::TEXT, p_hash, p_status, p_body;
END
$$;
`,
  },
  {
    version: 4,
    name: 'create_payment_once decides an insufficient-funds refusal inside the same statement',
    sql: `
-- A payment that the balance no longer covers (another payment of the same payer committed in between) is
-- refused inside the statement that tried it: the payment and its legs roll back to a savepoint and the key is
-- stored with the refusal given in p_short_status / p_short_body. Before this, the caller stored the refusal
-- with a second call; PostgreSQL sends an error to the client before the failed transaction has released its
-- locks, so that second call could find the key's advisory lock still held by its own first attempt and
-- answer 'in_flight' for a key nobody else was using.
DROP FUNCTION create_payment_once(TEXT, TEXT, TEXT, TIMESTAMPTZ, TIMESTAMPTZ, INTEGER, TEXT, JSONB,
  TEXT[], BIGINT[], TEXT[], TEXT[], BIGINT[], TEXT[]);
CREATE FUNCTION create_payment_once(
  p_account TEXT, p_key TEXT, p_hash TEXT, p_at TIMESTAMPTZ, p_stale_before TIMESTAMPTZ,
  p_status INTEGER, p_body TEXT, p_payment JSONB,
  p_accounts TEXT[], p_deltas BIGINT[],
  p_debits TEXT[], p_credits TEXT[], p_amounts BIGINT[], p_kinds TEXT[],
  p_short_status INTEGER, p_short_body TEXT
) RETURNS TABLE (outcome TEXT, request_hash TEXT, status_code INTEGER, response_body TEXT)
LANGUAGE plpgsql AS $$
DECLARE
  k idempotency_keys%ROWTYPE;
  v_outcome TEXT := 'stored';
  v_status INTEGER := p_status;
  v_body TEXT := p_body;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtextextended(p_account || E'\\n' || p_key, 7366002)) THEN
    RETURN QUERY SELECT 'in_flight'::TEXT, NULL::TEXT, NULL::INTEGER, NULL::TEXT;
    RETURN;
  END IF;
  SELECT * INTO k FROM idempotency_keys i WHERE i.account_id = p_account AND i.key = p_key;
  IF FOUND THEN
    IF k.status_code IS NOT NULL OR k.request_hash <> p_hash OR k.locked_at >= p_stale_before THEN
      RETURN QUERY SELECT 'exists'::TEXT, k.request_hash, k.status_code, k.response_body;
      RETURN;
    END IF;
    DELETE FROM idempotency_keys i WHERE i.account_id = p_account AND i.key = p_key;
  END IF;
  IF p_payment IS NOT NULL THEN
    BEGIN
      INSERT INTO payments (id, payer_id, recipient_id, recipient_handle, recipient_x_user_id, amount_cents,
        fee_cents, message, mode, status, tweet_text, tweet_id, reply_to_tweet_id, failure_reason, created_at,
        updated_at, expires_at)
      SELECT r.id, r.payer_id, r.recipient_id, r.recipient_handle, r.recipient_x_user_id, r.amount_cents,
        r.fee_cents, r.message, r.mode, r.status, r.tweet_text, r.tweet_id, r.reply_to_tweet_id,
        r.failure_reason, r.created_at, r.updated_at, r.expires_at
      FROM jsonb_populate_record(NULL::payments, p_payment) AS r;
      PERFORM post_transfers(p_accounts, p_deltas, p_debits, p_credits, p_amounts, p_kinds, p_payment->>'id', p_at);
    EXCEPTION WHEN SQLSTATE 'WL001' THEN
      v_outcome := 'refused';
      v_status := p_short_status;
      v_body := p_short_body;
    END;
  END IF;
  INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response_body, locked_at, created_at)
    VALUES (p_account, p_key, p_hash, v_status, v_body, p_at, p_at);
  RETURN QUERY SELECT v_outcome, p_hash, v_status, v_body;
END
$$;
`,
  },
  {
    version: 5,
    name: 'x deliveries: event_uuid (X Activity API de-duplication) and source',
    sql: `
ALTER TABLE x_events ADD COLUMN event_uuid TEXT;
ALTER TABLE x_events ADD COLUMN source TEXT NOT NULL DEFAULT 'webhook';
CREATE UNIQUE INDEX x_events_event_uuid ON x_events (event_uuid) WHERE event_uuid IS NOT NULL;
`,
  },
  {
    version: 6,
    name: 'sign in with X: pending links (single-use state, PKCE verifier, expiry)',
    sql: `
CREATE TABLE x_link_states (
  state_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  code_verifier TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at TIMESTAMPTZ
);
CREATE INDEX x_link_states_expiry ON x_link_states (expires_at);
`,
  },
  {
    version: 7,
    name: "the bot's replies: its rotating OAuth tokens and a transactional outbox",
    sql: `
-- One row: the bot account's OAuth 2.0 user tokens (seeded once from the environment, then rotated here).
CREATE TABLE x_bot_tokens (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  access_token TEXT NOT NULL,
  refresh_token TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  -- X answered 429: no reply goes out before this time, from any instance.
  paused_until TIMESTAMPTZ
);
-- The language X detected for a payment post (the bot answers in it).
ALTER TABLE x_tweets ADD COLUMN lang TEXT;
-- One reply per payment event, written in the transaction of the payment change; a worker sends it.
CREATE TABLE x_outbox (
  id BIGSERIAL PRIMARY KEY,
  payment_id TEXT NOT NULL REFERENCES payments (id),
  kind TEXT NOT NULL CHECK (kind IN ('receipt', 'invitation')),
  in_reply_to TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('fr', 'en')),
  created_at TIMESTAMPTZ NOT NULL,
  next_attempt_at TIMESTAMPTZ NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  claimed_until TIMESTAMPTZ,
  sent_at TIMESTAMPTZ,
  x_post_id TEXT,
  failed_at TIMESTAMPTZ,
  last_error TEXT,
  UNIQUE (payment_id, kind)
);
CREATE INDEX x_outbox_due ON x_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
`,
  },
  {
    version: 8,
    name: 'create_payments_batch: several new payments in one statement, each with its own outcome',
    sql: `
-- Group commit of POST /v1/payments: the payments queued while the previous batch was being written go in one
-- statement, so one round trip and one commit. Each item is exactly create_payment_once() (its key, its payment,
-- its legs, its stored answer; an insufficient-funds refusal decided inside) run in the order given, which is
-- the order the server accepted them. Each item runs in its own subtransaction: an item that fails for any
-- other reason rolls back alone and comes back as 'failed' with its SQLSTATE and message, the others commit.
-- A serialization failure or a deadlock is not caught: the whole statement fails and the caller retries it.
-- The user accounts of the whole batch are locked first, in id order (as one posting locks its own).
-- A key given twice in one batch: the advisory lock is re-entrant within the transaction and the first item's
-- key row is visible to the second, which therefore gets 'exists' (replay, or key reused).
-- p_items: [{account, key, hash, at, staleBefore, status, body, payment, accounts, deltas, debits, credits,
-- amounts, kinds, shortStatus, shortBody}], payment and the six posting arrays as create_payment_once() takes
-- them (payment null for a refusal decided before the statement).
CREATE FUNCTION create_payments_batch(p_items JSONB)
RETURNS TABLE (item INTEGER, outcome TEXT, request_hash TEXT, status_code INTEGER, response_body TEXT)
LANGUAGE plpgsql AS $$
DECLARE
  it JSONB;
  n INTEGER;
  r RECORD;
BEGIN
  -- Every user account the batch moves, locked first and in id order, as every other posting locks its own:
  -- a batch holds many rows for longer than one payment; this order keeps two postings from deadlocking.
  PERFORM 1 FROM accounts a
    WHERE a.id IN (SELECT jsonb_array_elements_text(e.value->'accounts') FROM jsonb_array_elements(p_items) AS e)
    ORDER BY a.id FOR UPDATE;
  FOR it, n IN SELECT e.value, e.ordinality::INTEGER FROM jsonb_array_elements(p_items) WITH ORDINALITY AS e
    ORDER BY e.ordinality
  LOOP
    item := n - 1;
    BEGIN
      SELECT * INTO STRICT r FROM create_payment_once(
        it->>'account', it->>'key', it->>'hash', (it->>'at')::TIMESTAMPTZ, (it->>'staleBefore')::TIMESTAMPTZ,
        (it->>'status')::INTEGER, it->>'body', CASE WHEN jsonb_typeof(it->'payment') = 'object' THEN it->'payment' END,
        ARRAY(SELECT jsonb_array_elements_text(it->'accounts')),
        ARRAY(SELECT jsonb_array_elements_text(it->'deltas')::BIGINT),
        ARRAY(SELECT jsonb_array_elements_text(it->'debits')),
        ARRAY(SELECT jsonb_array_elements_text(it->'credits')),
        ARRAY(SELECT jsonb_array_elements_text(it->'amounts')::BIGINT),
        ARRAY(SELECT jsonb_array_elements_text(it->'kinds')),
        (it->>'shortStatus')::INTEGER, it->>'shortBody');
      outcome := r.outcome;
      request_hash := r.request_hash;
      status_code := r.status_code;
      response_body := r.response_body;
    EXCEPTION
      WHEN SQLSTATE '40001' OR SQLSTATE '40P01' THEN
        RAISE;
      WHEN OTHERS THEN
        outcome := 'failed';
        request_hash := NULL;
        status_code := NULL;
        response_body := SQLSTATE || ' ' || SQLERRM;
    END;
    RETURN NEXT;
  END LOOP;
END
$$;
`,
  },
  {
    version: 9,
    name: 'card top-ups (Stripe Checkout), funding account, wallet hold',
    sql: `
INSERT INTO accounts (id, kind, display_name, created_at) VALUES
  ('sys_funding', 'system', 'Card funding (Stripe top-ups, less what refunds took back)', now());

ALTER TABLE accounts ADD COLUMN on_hold BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE top_ups (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  idempotency_key TEXT NOT NULL,
  amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
  currency TEXT NOT NULL DEFAULT 'EUR' CHECK (currency = 'EUR'),
  status TEXT NOT NULL CHECK (status IN ('pending', 'credited', 'failed', 'expired', 'refunded')),
  checkout_session_id TEXT UNIQUE,
  checkout_url TEXT,
  payment_intent_id TEXT,
  -- What went into the wallet, what refunds asked back, what was taken back, and what could not be.
  credited_cents BIGINT NOT NULL DEFAULT 0 CHECK (credited_cents >= 0 AND credited_cents <= amount_cents),
  refunded_cents BIGINT NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0 AND refunded_cents <= amount_cents),
  reclaimed_cents BIGINT NOT NULL DEFAULT 0 CHECK (reclaimed_cents >= 0 AND reclaimed_cents <= credited_cents),
  shortfall_cents BIGINT NOT NULL DEFAULT 0 CHECK (shortfall_cents >= 0),
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  UNIQUE (account_id, idempotency_key)
);
CREATE INDEX top_ups_account ON top_ups (account_id, created_at DESC);
CREATE INDEX top_ups_payment_intent ON top_ups (payment_intent_id);

-- Stripe event ids already applied: a redelivered event is acknowledged and changes nothing.
CREATE TABLE stripe_events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  top_up_id TEXT REFERENCES top_ups (id),
  received_at TIMESTAMPTZ NOT NULL
);
`,
  },
  {
    version: 10,
    name: 'create_payments_set: a whole batch decided in one pass and written set-wise',
    sql: `
-- The common case of a group commit, without a subtransaction per payment. create_payments_batch() (migration 8)
-- runs create_payment_once() item by item, each in its own subtransaction: two subtransactions, an advisory lock,
-- three inserts and two updates per payment. When every key of the batch is new and taken by no other
-- transaction, each item's outcome can be decided before anything is written, exactly as the item-by-item run
-- would decide it: walking the batch in its order (the order the server accepted the payments) over the locked
-- balances, an item is stored when every one of its debits is covered by what the items before it left, else
-- refused for insufficient funds (its key stored with p_short_status / p_short_body, its payment and legs not
-- written), as post_transfers() decides it item by item. This function does that, then writes the batch with one
-- INSERT per table (payments, transfers, idempotency_keys) and one UPDATE of the balances, in the batch's order
-- (payments.seq and transfers.id follow it), and returns reason NULL with the refused items (numbered from 1).
-- Otherwise it writes nothing and returns why (the caller then runs create_payments_batch(), item by item):
-- 'key' (a key already stored, or given twice), 'in_flight' (a key held by another transaction), 'account' (an
-- account that does not exist), 'error' (a write failed: rolled back, SQLSTATE and message after it).
-- Serialization failures and deadlocks are raised, as everywhere, for the caller's retry.
-- Arguments, column-wise: per item (p_account … p_short_body: the key row, its answer, its refusal), per
-- user-balance move (p_move_items: the item's number from 1, p_move_accounts, p_move_deltas: in item order, each
-- item's accounts in id order), the payment rows (p_payments: a JSON array, in item order), per ledger leg in
-- item order (p_debits … p_leg_at).
CREATE FUNCTION create_payments_set(
  p_account TEXT[], p_key TEXT[], p_hash TEXT[], p_status INTEGER[], p_body TEXT[], p_at TIMESTAMPTZ[],
  p_short_status INTEGER[], p_short_body TEXT[],
  p_move_items INTEGER[], p_move_accounts TEXT[], p_move_deltas BIGINT[],
  p_payment_items INTEGER[], p_payments JSONB,
  p_leg_items INTEGER[], p_debits TEXT[], p_credits TEXT[], p_amounts BIGINT[], p_kinds TEXT[],
  p_leg_payments TEXT[], p_leg_at TIMESTAMPTZ[]
) RETURNS TABLE (reason TEXT, refused INTEGER[]) LANGUAGE plpgsql AS $$
DECLARE
  v_ids TEXT[];
  v_bal BIGINT[];
  v_refused INTEGER[] := '{}';
  n_moves INTEGER := coalesce(array_length(p_move_accounts, 1), 0);
  i INTEGER := 1;
  j INTEGER;
  k INTEGER;
  v_ok BOOLEAN;
BEGIN
  -- Every user account the batch moves, locked first and in id order, as every other posting locks its own.
  PERFORM 1 FROM accounts a WHERE a.id = ANY (p_move_accounts) ORDER BY a.id FOR UPDATE;
  -- Each key once in the batch, and none stored yet.
  IF EXISTS (SELECT 1 FROM unnest(p_account, p_key) AS q(account, key) GROUP BY q.account, q.key HAVING count(*) > 1)
    OR EXISTS (SELECT 1 FROM unnest(p_account, p_key) AS q(account, key)
      JOIN idempotency_keys x ON x.account_id = q.account AND x.key = q.key) THEN
    RETURN QUERY SELECT 'key'::TEXT, NULL::INTEGER[];
    RETURN;
  END IF;
  -- Every key's lock, as create_payment_once() takes it: one that another transaction holds is a key in flight.
  IF NOT (SELECT bool_and(pg_try_advisory_xact_lock(hashtextextended(q.account || E'\\n' || q.key, 7366002)))
      FROM unnest(p_account, p_key) AS q(account, key)) THEN
    RETURN QUERY SELECT 'in_flight'::TEXT, NULL::INTEGER[];
    RETURN;
  END IF;
  -- The locked balances (they cannot move before this transaction ends), every account known.
  SELECT coalesce(array_agg(a.id ORDER BY a.id), '{}'), coalesce(array_agg(a.balance_cents ORDER BY a.id), '{}')
    INTO v_ids, v_bal FROM accounts a WHERE a.id = ANY (p_move_accounts);
  IF EXISTS (SELECT 1 FROM unnest(p_move_accounts) AS m(account) WHERE m.account <> ALL (v_ids)) THEN
    RETURN QUERY SELECT 'account'::TEXT, NULL::INTEGER[];
    RETURN;
  END IF;
  -- The walk, item by item in the batch's order: an item moves its balances when each of its debits is covered
  -- by the balance the items before it left, else it is refused and moves nothing.
  WHILE i <= n_moves LOOP
    v_ok := true;
    j := i;
    WHILE j <= n_moves AND p_move_items[j] = p_move_items[i] LOOP
      k := array_position(v_ids, p_move_accounts[j]);
      IF p_move_deltas[j] < 0 AND v_bal[k] < -p_move_deltas[j] THEN
        v_ok := false;
      END IF;
      j := j + 1;
    END LOOP;
    IF v_ok THEN
      FOR m IN i .. j - 1 LOOP
        k := array_position(v_ids, p_move_accounts[m]);
        v_bal[k] := v_bal[k] + p_move_deltas[m];
      END LOOP;
    ELSE
      v_refused := v_refused || p_move_items[i];
    END IF;
    i := j;
  END LOOP;
  BEGIN
    INSERT INTO payments (id, payer_id, recipient_id, recipient_handle, recipient_x_user_id, amount_cents,
      fee_cents, message, mode, status, tweet_text, tweet_id, reply_to_tweet_id, failure_reason, created_at,
      updated_at, expires_at)
    SELECT r.id, r.payer_id, r.recipient_id, r.recipient_handle, r.recipient_x_user_id, r.amount_cents,
      r.fee_cents, r.message, r.mode, r.status, r.tweet_text, r.tweet_id, r.reply_to_tweet_id,
      r.failure_reason, r.created_at, r.updated_at, r.expires_at
    FROM jsonb_populate_recordset(NULL::payments, p_payments) WITH ORDINALITY AS r
    WHERE p_payment_items[r.ordinality] <> ALL (v_refused)
    ORDER BY r.ordinality;
    UPDATE accounts a SET balance_cents = b.balance
      FROM unnest(v_ids, v_bal) AS b(id, balance)
      WHERE a.id = b.id AND a.balance_cents <> b.balance;
    INSERT INTO transfers (debit_account_id, credit_account_id, amount_cents, kind, payment_id, created_at)
    SELECT t.d, t.c, t.a, t.k, t.p, t.at
      FROM unnest(p_leg_items, p_debits, p_credits, p_amounts, p_kinds, p_leg_payments, p_leg_at)
        WITH ORDINALITY AS t(item, d, c, a, k, p, at, n)
      WHERE t.item <> ALL (v_refused)
      ORDER BY t.n;
    INSERT INTO idempotency_keys (account_id, key, request_hash, status_code, response_body, locked_at, created_at)
    SELECT q.account, q.key, q.hash,
        CASE WHEN q.n::INTEGER = ANY (v_refused) THEN q.short_status ELSE q.status END,
        CASE WHEN q.n::INTEGER = ANY (v_refused) THEN q.short_body ELSE q.body END, q.at, q.at
      FROM unnest(p_account, p_key, p_hash, p_status, p_body, p_at, p_short_status, p_short_body)
        WITH ORDINALITY AS q(account, key, hash, status, body, at, short_status, short_body, n)
      ORDER BY q.n;
  EXCEPTION
    WHEN SQLSTATE '40001' OR SQLSTATE '40P01' THEN
      RAISE;
    WHEN OTHERS THEN
      RETURN QUERY SELECT 'error ' || SQLSTATE || ' ' || SQLERRM, NULL::INTEGER[];
      RETURN;
  END;
  RETURN QUERY SELECT NULL::TEXT, v_refused;
END
$$;
`,
  },
];

/** Applies the migrations not yet applied, each in its own transaction, under an advisory lock. */
export async function migrate(db: Db): Promise<number> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  let applied = 0;
  for (const m of MIGRATIONS) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7366001)');
      const rows = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (rows.length > 0) return false;
      for (const stmt of splitSql(m.sql)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied++;
  }
  return applied;
}

/** Splits a migration into statements (extended protocol: one statement per query), keeping $$ bodies whole. */
function splitSql(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inDollar = false;
  for (const line of sql.split('\n')) {
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inDollar = !inDollar;
    cur += line + '\n';
    if (!inDollar && line.trimEnd().endsWith(';')) {
      out.push(cur.trim());
      cur = '';
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
