/**
 * Payment load with retries, duplicate Idempotency-Keys and key reuse, as a client that cannot trust the
 * network would send it; then the audit: every acknowledged payment exists exactly once (by id, by
 * replaying its key, and in the database by the key written into its message), nothing refused or
 * unanswered was paid twice, no balance is negative, every balance matches the ledger and the payments,
 * the ledger sums to zero.
 */
import { PGlite } from '@electric-sql/pglite';
import http from 'node:http';
import pg from 'pg';
import { httpRequest, sleep, type DbTarget, type HttpResult, type SeedUser } from './harness';

export interface Intent {
  key: string;
  payer: number;
  recipientHandle: string;
  amountCents: number;
  mode: 'private' | 'tweet';
  message: string;
}

export type Outcome =
  | { kind: 'acked'; id: string; status: string; feeCents: number; responses: number; body: unknown }
  | { kind: 'rejected'; httpStatus: number; code: string; responses: number }
  | { kind: 'unresolved'; last: string; responses: number };

export interface LoadCounts {
  /** HTTP requests sent, every attempt and duplicate included. */
  requests: number;
  /** Requests that got no answer (connection refused, reset, cut, timed out). */
  networkErrors: number;
  /** 5xx answers (retried with the same key). */
  serverErrors: number;
  /** 409 idempotency_in_flight answers (a duplicate or retry while the first was running). */
  inFlight: number;
  /** Extra concurrent sends of an intent with the same key and body. */
  duplicatesSent: number;
  /** Definitive answers to a key beyond its first (replays) plus in-flight refusals. */
  duplicatesPrevented: number;
  /** Same key, different body: must be 422 idempotency_key_reused. */
  reusesSent: number;
  reusesRejected: number;
  intents: number;
  acked: number;
  rejected: number;
  unresolved: number;
  byStatus: Record<string, number>;
  rejectedByCode: Record<string, number>;
}

export interface LoadOptions {
  /** Port clients connect to (the server, or a proxy in front of it). */
  port: () => number;
  users: SeedUser[];
  tokens: string[];
  concurrency: number;
  /** New intents are started while this returns true. */
  keepGoing: () => boolean;
  /** Retries of an intent stop after this time (epoch ms); it is then unresolved. */
  retryUntil: () => number;
  runTag: string;
  /** Fraction of intents sent twice at once with the same key (default 0.05). */
  duplicateRate?: number;
  /** Fraction of acknowledged intents re-sent with the same key and another amount (default 0.02). */
  reuseRate?: number;
  /** Largest amount (cents) of a payment (default 5000). */
  maxAmountCents?: number;
  /** Stop retrying on network errors (the durability test stops when the server is killed). */
  retryNetworkErrors?: boolean;
}

export class PaymentLoad {
  readonly counts: LoadCounts = {
    requests: 0,
    networkErrors: 0,
    serverErrors: 0,
    inFlight: 0,
    duplicatesSent: 0,
    duplicatesPrevented: 0,
    reusesSent: 0,
    reusesRejected: 0,
    intents: 0,
    acked: 0,
    rejected: 0,
    unresolved: 0,
    byStatus: {},
    rejectedByCode: {},
  };
  readonly intents = new Map<string, Intent>();
  readonly outcomes = new Map<string, Outcome>();
  /** Violations seen by the client itself (two different ids for one key, a reuse that paid, …). */
  readonly problems: string[] = [];
  private agent: http.Agent;
  private seq = 0;

  constructor(private readonly o: LoadOptions) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency * 2 });
  }

  close() {
    this.agent.destroy();
  }

  private nextIntent(): Intent {
    const { users } = this.o;
    const n = this.seq++;
    const key = `${this.o.runTag}-${n}`;
    const payer = Math.floor(Math.random() * users.length);
    let recipientHandle: string;
    let mode: 'private' | 'tweet' = 'private';
    const r = Math.random();
    if (r < 0.1) {
      recipientHandle = `ghost_${String(Math.floor(Math.random() * 20)).padStart(2, '0')}`;
    } else {
      const other = (payer + 1 + Math.floor(Math.random() * (users.length - 1))) % users.length;
      recipientHandle = users[other]!.xHandle;
      if (r < 0.2) mode = 'tweet';
    }
    const amountCents = 1 + Math.floor(Math.random() * (this.o.maxAmountCents ?? 5000));
    const intent: Intent = { key, payer, recipientHandle, amountCents, mode, message: `ops:${key}` };
    this.intents.set(key, intent);
    return intent;
  }

  private body(i: Intent, amountCents = i.amountCents) {
    return {
      recipientHandle: i.recipientHandle,
      amountCents,
      currency: 'EUR',
      mode: i.mode,
      message: i.message,
    };
  }

  private async send(i: Intent, amountCents?: number): Promise<HttpResult> {
    this.counts.requests++;
    try {
      const res = await httpRequest({
        port: this.o.port(),
        method: 'POST',
        path: '/v1/payments',
        token: this.o.tokens[i.payer],
        idempotencyKey: i.key,
        body: this.body(i, amountCents),
        agent: this.agent,
        timeoutMs: 10_000,
      });
      this.counts.byStatus[res.status] = (this.counts.byStatus[res.status] ?? 0) + 1;
      return res;
    } catch (err) {
      this.counts.networkErrors++;
      throw err;
    }
  }

  /** Sends one intent until a definitive answer (or the retry deadline). */
  private async settle(i: Intent): Promise<Outcome> {
    let responses = 0;
    let last = 'never sent';
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0 && Date.now() > this.o.retryUntil()) return { kind: 'unresolved', last, responses };
      let res: HttpResult;
      try {
        res = await this.send(i);
      } catch (err) {
        last = String((err as Error).message ?? err);
        if (this.o.retryNetworkErrors === false) return { kind: 'unresolved', last, responses };
        await sleep(Math.min(500, 20 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
        continue;
      }
      const b = res.body as { id?: string; status?: string; feeCents?: number; code?: string } | undefined;
      last = `${res.status} ${b?.code ?? ''}`;
      if (res.status === 201 && b?.id && b.status) {
        responses++;
        return { kind: 'acked', id: b.id, status: b.status, feeCents: b.feeCents ?? 0, responses, body: b };
      }
      if (res.status === 409 && b?.code === 'idempotency_in_flight') {
        this.counts.inFlight++;
        this.counts.duplicatesPrevented++;
        await sleep(100 + Math.random() * 200);
        continue;
      }
      if (res.status >= 500) {
        this.counts.serverErrors++;
        await sleep(50 + Math.random() * 100);
        continue;
      }
      if (res.status === 401) {
        this.problems.push(`${i.key}: 401 for a signed-in user: ${JSON.stringify(res.body)}`);
        return { kind: 'unresolved', last, responses };
      }
      responses++;
      return { kind: 'rejected', httpStatus: res.status, code: b?.code ?? '?', responses };
    }
  }

  private record(i: Intent, outs: Outcome[]) {
    const [first, ...rest] = outs as [Outcome, ...Outcome[]];
    let final = first;
    for (const o of rest) {
      if (final.kind === 'unresolved') final = o;
      else if (o.kind === 'acked' && final.kind === 'acked' && o.id !== final.id) {
        this.problems.push(`${i.key}: one key, two payments ${final.id} and ${o.id}`);
      } else if (o.kind !== 'unresolved' && o.kind !== final.kind) {
        this.problems.push(`${i.key}: one key, answers ${JSON.stringify(final)} and ${JSON.stringify(o)}`);
      }
    }
    const definitive = outs.reduce((s, o) => s + o.responses, 0);
    if (definitive > 1) this.counts.duplicatesPrevented += definitive - 1;
    this.outcomes.set(i.key, final);
    this.counts[final.kind]++;
    if (final.kind === 'rejected')
      this.counts.rejectedByCode[final.code] = (this.counts.rejectedByCode[final.code] ?? 0) + 1;
  }

  private async one() {
    const i = this.nextIntent();
    this.counts.intents++;
    const dup = Math.random() < (this.o.duplicateRate ?? 0.05);
    if (dup) this.counts.duplicatesSent++;
    const outs = await Promise.all(dup ? [this.settle(i), this.settle(i)] : [this.settle(i)]);
    this.record(i, outs);
    const final = this.outcomes.get(i.key);
    if (final?.kind === 'acked' && Math.random() < (this.o.reuseRate ?? 0.02)) {
      this.counts.reusesSent++;
      for (let attempt = 0; Date.now() < this.o.retryUntil(); attempt++) {
        let res: HttpResult;
        try {
          res = await this.send(i, i.amountCents === 1 ? 2 : i.amountCents - 1);
        } catch {
          await sleep(50 * (attempt + 1));
          continue;
        }
        const code = (res.body as { code?: string } | undefined)?.code;
        if (res.status === 422 && code === 'idempotency_key_reused') this.counts.reusesRejected++;
        else if (res.status >= 500 || (res.status === 409 && code === 'idempotency_in_flight')) {
          await sleep(100);
          continue;
        } else
          this.problems.push(
            `${i.key}: reused with another amount, got ${res.status} ${JSON.stringify(res.body)}`,
          );
        break;
      }
    }
  }

  /** Sends every unanswered intent once more (same key, same body); returns how many got an answer. */
  async retryUnresolved(): Promise<{ retried: number; resolved: number }> {
    const keys = [...this.outcomes].filter(([, o]) => o.kind === 'unresolved').map(([k]) => k);
    let resolved = 0;
    await Promise.all(
      keys.map(async (key) => {
        const o = await this.settle(this.intents.get(key)!);
        if (o.kind === 'unresolved') return;
        resolved++;
        this.outcomes.set(key, o);
        this.counts.unresolved--;
        this.counts[o.kind]++;
        if (o.kind === 'rejected')
          this.counts.rejectedByCode[o.code] = (this.counts.rejectedByCode[o.code] ?? 0) + 1;
      }),
    );
    return { retried: keys.length, resolved };
  }

  /** Runs `concurrency` workers until keepGoing() turns false and every started intent settled. */
  async run(): Promise<void> {
    const worker = async () => {
      while (this.o.keepGoing()) await this.one();
    };
    await Promise.all(Array.from({ length: this.o.concurrency }, worker));
  }
}

// ------------------------------------------------------------------------------------------------ audit

interface Q {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Opens the run's database directly (for PGlite, only once the server process is gone). */
export async function openAuditDb(target: DbTarget): Promise<Q> {
  if (target.kind === 'pglite') {
    const db = await PGlite.create(target.dataDir!);
    return {
      query: async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows,
      close: () => db.close(),
    };
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  return {
    query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    close: () => client.end(),
  };
}

export interface LedgerFigures {
  payments: number;
  userAccounts: number;
  sumOfAllAccountsCents: number;
  minUserBalanceCents: number;
}

/**
 * The ledger's invariants, from the database itself (independent of the server's own checker):
 * returns the violations found and a few figures.
 */
export async function auditLedger(
  q: Q,
  users: SeedUser[],
): Promise<{ problems: string[]; figures: LedgerFigures }> {
  const problems: string[] = [];
  const accounts = await q.query<{
    id: string;
    kind: string;
    x_handle: string | null;
    balance: string;
    derived: string;
  }>(`
    SELECT a.id, a.kind, a.x_handle, a.balance_cents::text AS balance,
      (COALESCE((SELECT SUM(amount_cents) FROM transfers WHERE credit_account_id = a.id), 0)
       - COALESCE((SELECT SUM(amount_cents) FROM transfers WHERE debit_account_id = a.id), 0))::text AS derived
    FROM accounts a`);
  let sum = 0;
  let minUser = Infinity;
  const system: Record<string, number> = {};
  const byHandle = new Map<string, { id: string; balance: number }>();
  for (const a of accounts) {
    const balance = Number(a.balance);
    const derived = Number(a.derived);
    if (a.kind === 'system') {
      system[a.id] = derived;
      sum += derived;
      continue;
    }
    sum += balance;
    minUser = Math.min(minUser, balance);
    if (balance < 0) problems.push(`account ${a.x_handle ?? a.id} has a negative balance ${balance}`);
    if (balance !== derived)
      problems.push(`account ${a.x_handle ?? a.id}: balance ${balance} ≠ its transfers ${derived}`);
    if (a.x_handle) byHandle.set(a.x_handle.toLowerCase(), { id: a.id, balance });
  }
  if (sum !== 0) problems.push(`the sum over all accounts is ${sum}, not 0`);

  const [sums] = await q.query<{
    held: string | null;
    claimable: string | null;
    fees: string | null;
    n: string;
  }>(`
    SELECT SUM(amount_cents) FILTER (WHERE status IN ('awaiting_tweet', 'awaiting_confirmation'))::text AS held,
      SUM(amount_cents) FILTER (WHERE status = 'claimable')::text AS claimable,
      SUM(fee_cents) FILTER (WHERE status = 'completed')::text AS fees,
      COUNT(*)::text AS n
    FROM payments`);
  const expectSystem = (id: string, want: number, what: string) => {
    if ((system[id] ?? 0) !== want) problems.push(`${id} holds ${system[id] ?? 0}, ${what} sum to ${want}`);
  };
  expectSystem('sys_holds', Number(sums?.held ?? 0), 'awaiting payments');
  expectSystem('sys_escrow', Number(sums?.claimable ?? 0), 'claimable payments');
  expectSystem('sys_fees', Number(sums?.fees ?? 0), 'fees of completed payments');

  // Each seeded user's balance from the payments alone: opening balance + received − sent (held included).
  const flows = await q.query<{ id: string; received: string; sent: string }>(`
    SELECT a.id,
      COALESCE((SELECT SUM(amount_cents - fee_cents) FROM payments WHERE recipient_id = a.id AND status = 'completed'
        AND payer_id <> a.id), 0)::text AS received,
      COALESCE((SELECT SUM(amount_cents) FROM payments WHERE payer_id = a.id
        AND status IN ('completed', 'awaiting_tweet', 'awaiting_confirmation', 'claimable')), 0)::text AS sent
    FROM accounts a WHERE a.kind <> 'system'`);
  const flowById = new Map(flows.map((f) => [f.id, f]));
  for (const u of users) {
    const acc = byHandle.get(u.xHandle.toLowerCase());
    if (!acc) {
      problems.push(`seeded user ${u.xHandle} is missing`);
      continue;
    }
    const f = flowById.get(acc.id);
    const want = u.balanceCents + Number(f?.received ?? 0) - Number(f?.sent ?? 0);
    if (acc.balance !== want) {
      problems.push(`${u.xHandle}: balance ${acc.balance}, payments say ${want} (opening ${u.balanceCents})`);
    }
  }
  return {
    problems,
    figures: {
      payments: Number(sums?.n ?? 0),
      userAccounts: accounts.filter((a) => a.kind !== 'system').length,
      sumOfAllAccountsCents: sum,
      minUserBalanceCents: minUser,
    },
  };
}

/**
 * Every intent against the payments table (each payment carries `ops:<key>` as its message):
 * acknowledged → exactly one payment, with that id, payer, recipient and amount; refused → none;
 * unanswered → at most one; and no payment that no intent asked for.
 */
export async function auditPayments(
  q: Q,
  load: PaymentLoad,
  users: SeedUser[],
  runTag: string,
): Promise<{ problems: string[]; paidUnanswered: number }> {
  const problems: string[] = [];
  const rows = await q.query<{
    id: string;
    message: string;
    amount_cents: string;
    payer_handle: string | null;
    recipient_handle: string;
  }>(
    `SELECT p.id, p.message, p.amount_cents::text, a.x_handle AS payer_handle, p.recipient_handle
     FROM payments p JOIN accounts a ON a.id = p.payer_id WHERE p.message LIKE $1`,
    [`ops:${runTag}-%`],
  );
  const byKey = new Map<string, typeof rows>();
  for (const r of rows) {
    const key = r.message.slice('ops:'.length);
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  let paidUnanswered = 0;
  for (const [key, i] of load.intents) {
    const found = byKey.get(key) ?? [];
    const o = load.outcomes.get(key);
    if (found.length > 1) problems.push(`${key}: ${found.length} payments for one Idempotency-Key`);
    if (!o) continue;
    if (o.kind === 'acked') {
      const p = found[0];
      if (!p) {
        problems.push(`${key}: acknowledged as ${o.id} but not in the database (lost)`);
        continue;
      }
      if (p.id !== o.id) problems.push(`${key}: acknowledged as ${o.id}, stored as ${p.id}`);
      if (Number(p.amount_cents) !== i.amountCents)
        problems.push(`${key}: amount ${p.amount_cents} ≠ ${i.amountCents}`);
      if (p.payer_handle?.toLowerCase() !== users[i.payer]!.xHandle.toLowerCase()) {
        problems.push(`${key}: payer ${p.payer_handle} ≠ ${users[i.payer]!.xHandle}`);
      }
      if (p.recipient_handle.toLowerCase() !== i.recipientHandle.toLowerCase()) {
        problems.push(`${key}: recipient ${p.recipient_handle} ≠ ${i.recipientHandle}`);
      }
    } else if (o.kind === 'rejected') {
      if (found.length > 0)
        problems.push(`${key}: refused with ${o.httpStatus} ${o.code} but paid (${found[0]!.id})`);
    } else if (found.length === 1) paidUnanswered++;
  }
  for (const key of byKey.keys()) {
    if (!load.intents.has(key)) problems.push(`payment with message ops:${key} that no client asked for`);
  }
  return { problems, paidUnanswered };
}

/**
 * Over HTTP while the server runs: each acknowledged payment (up to `limit`, spread over the run) is
 * found by id by its payer, and replaying its key with the same body answers 201 with the same payment.
 */
export async function auditOverHttp(port: number, load: PaymentLoad, tokens: string[], limit = Infinity) {
  const problems: string[] = [];
  const acked = [...load.outcomes].filter(
    (e): e is [string, Extract<Outcome, { kind: 'acked' }>] => e[1].kind === 'acked',
  );
  const step = Math.max(1, Math.ceil(acked.length / limit));
  const picked = acked.filter((_, n) => n % step === 0);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  let checked = 0;
  try {
    const queue = [...picked];
    const worker = async () => {
      for (let e = queue.pop(); e; e = queue.pop()) {
        const [key, o] = e;
        const i = load.intents.get(key)!;
        const token = tokens[i.payer]!;
        const got = await httpRequest({ port, method: 'GET', path: `/v1/payments/${o.id}`, token, agent });
        // The payment as read now is the one acknowledged (nothing in these runs changes it afterwards).
        if (got.status !== 200 || JSON.stringify(got.body) !== JSON.stringify(o.body)) {
          problems.push(
            `${key}: GET /v1/payments/${o.id} → ${got.status} ${JSON.stringify(got.body)}, acknowledged as ${JSON.stringify(o.body)}`,
          );
        }
        const replay = await httpRequest({
          port,
          method: 'POST',
          path: '/v1/payments',
          token,
          idempotencyKey: key,
          body: {
            recipientHandle: i.recipientHandle,
            amountCents: i.amountCents,
            currency: 'EUR',
            mode: i.mode,
            message: i.message,
          },
          agent,
        });
        if (replay.status !== 201 || JSON.stringify(replay.body) !== JSON.stringify(o.body)) {
          problems.push(
            `${key}: replaying the key → ${replay.status} ${JSON.stringify(replay.body)}, not the 201 of ${o.id}`,
          );
        }
        checked++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  } finally {
    agent.destroy();
  }
  return { problems, checked };
}
