/** Structured JSON logs, one line per event, never with secrets (no tokens, passwords, bodies). */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, error() {} };

export function jsonLogger(out: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const write = (level: string, msg: string, fields?: Record<string, unknown>) =>
    out(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
  return { info: (m, f) => write('info', m, f), error: (m, f) => write('error', m, f) };
}

/** What may be logged about an error: its name and message, plus the stack (our code, no request data). */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { err: err.name, errMessage: err.message, stack: err.stack };
  return { err: String(err) };
}
