// Runs `ruche` commands in-process through main(argv, io), keeping what they write.
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';

/** A stream that keeps what is written, optionally pretending to be a terminal. */
export function sink(isTTY = false) {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { chunks.push(Buffer.from(chunk)); done(); } });
  Object.assign(stream, { isTTY });
  return { stream, bytes: () => Buffer.concat(chunks), text: () => Buffer.concat(chunks).toString('utf-8') };
}

/** Runs one command with the process environment; `tty` makes standard output or error look like a terminal. */
export async function ruche(argv: string[], tty = { out: false, err: false }) {
  const out = sink(tty.out);
  const err = sink(tty.err);
  const code = await main(argv, { out: out.stream, err: err.stream, stdin: process.stdin } as never);
  return { code, out, err };
}
