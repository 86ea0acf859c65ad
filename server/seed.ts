/** Seed files (`WALLET_SEED`, `--seed`): accounts loaded on start when the database has no user account yet. */
import fs from 'node:fs';
import { z } from 'zod';
import { createAccount } from './accounts';
import { hashPassword } from './auth';
import type { Deps } from './deps';
import { HANDLE_RE, X_USER_ID_RE } from '../core/x-ids';

export const SeedAccountSchema = z.object({
  email: z.email(),
  password: z.string().min(10),
  displayName: z.string().min(1).max(80),
  kind: z.enum(['person', 'association', 'business']).default('person'),
  xHandle: z.string().regex(HANDLE_RE).nullable().optional(),
  xUserId: z.string().regex(X_USER_ID_RE).nullable().optional(),
  balanceCents: z.number().int().min(0).max(1_000_000_000).default(0),
  feeBps: z.number().int().min(100).max(200).optional(),
});
export const SeedFileSchema = z.object({ accounts: z.array(SeedAccountSchema) });

export type SeedAccount = z.input<typeof SeedAccountSchema>;
export type SeedFile = z.input<typeof SeedFileSchema>;

export function readSeedFile(path: string): SeedFile {
  const text = fs.readFileSync(path, 'utf8');
  return JSON.parse(text) as SeedFile;
}

/** Loads the seed if the database has no user account; returns how many accounts were created. */
export async function applySeed(deps: Deps, seed: SeedFile): Promise<number> {
  const parsed = SeedFileSchema.safeParse(seed);
  if (!parsed.success) {
    throw new Error(
      `invalid seed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const [existing] = await deps.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM accounts WHERE kind <> 'system'`,
  );
  if (Number(existing?.n ?? 0) > 0) return 0;
  const hashes = await Promise.all(parsed.data.accounts.map((a) => hashPassword(a.password, deps.scryptN)));
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    for (const [i, a] of parsed.data.accounts.entries()) {
      await createAccount(
        tx,
        {
          email: a.email,
          passwordHash: hashes[i]!,
          displayName: a.displayName,
          kind: a.kind,
          xHandle: a.xHandle ?? null,
          xUserId: a.xUserId ?? null,
          feeBps: a.feeBps ?? null,
          balanceCents: a.balanceCents,
        },
        now,
      );
    }
  });
  deps.log.info('seed loaded', { accounts: parsed.data.accounts.length });
  return parsed.data.accounts.length;
}
