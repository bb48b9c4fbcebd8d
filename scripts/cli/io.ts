// What every command gets to talk to the world, and the small helpers they share for
// arguments and progress. Commands write through `io`, never to `process.stdout` directly,
// so tests can run them in-process and read what they printed.

import { parseArgs, ParseArgsConfig } from "node:util";

export interface Output {
  write(text: string): unknown;
  /** True when this is an interactive terminal (progress is shown only then). */
  isTTY?: boolean;
}

export interface CommandIo {
  stdout: Output;
  stderr: Output;
  /** The directory relative paths are resolved against (the repository root). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Standard input, for commands that read a query from it. */
  readStdin?: () => Promise<string>;
}

/** A mistake in how the command was called: reported with a pointer to --help, exit 2. */
export class UsageError extends Error {}

export function processIo(): CommandIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

/** An in-memory io for tests: everything written is kept in `out` and `err`. */
export function memoryIo(cwd: string, env: NodeJS.ProcessEnv = {}, stdin = ""): MemoryIo {
  const io: MemoryIo = {
    out: "",
    err: "",
    stdout: { write: (t: string) => (io.out += t), isTTY: false },
    stderr: { write: (t: string) => (io.err += t), isTTY: false },
    cwd,
    env,
    readStdin: async () => stdin,
  };
  return io;
}

export interface MemoryIo extends CommandIo {
  out: string;
  err: string;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses a command's arguments with Node's own `util.parseArgs`; unknown options and missing
 * values become a UsageError (exit 2) instead of a stack trace.
 */
export function parseCommandArgs<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(message.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}

/**
 * A one-line progress display for long work, shown only on a terminal; on a pipe or in CI it
 * prints nothing, so logs stay clean.
 */
export function progress(out: Output, label: string, total: number) {
  const enabled = Boolean(out.isTTY) && total > 1;
  let last = 0;
  return {
    tick(done: number, detail = "") {
      if (!enabled) return;
      const now = Date.now();
      if (done < total && now - last < 80) return;
      last = now;
      const pct = Math.floor((done / total) * 100);
      const text = `${label} ${done}/${total} (${pct}%) ${detail}`.slice(0, 100);
      out.write(`\r\x1b[K${text}`);
    },
    done() {
      if (enabled) out.write("\r\x1b[K");
    },
  };
}
