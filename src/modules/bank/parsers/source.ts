// Where a streaming parser reads a statement from: bytes in memory, or a file read a chunk at a time (a year of
// camt movements is then never held whole in memory).
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';

/** Bytes handed to a streaming parser at a time. */
export const SOURCE_CHUNK_BYTES = 64 * 1024;
/** Bytes read ahead for format detection and the XML declaration. */
export const HEAD_BYTES = 64 * 1024;

/** A statement's bytes: their size, their beginning, and all of them in order, in chunks. */
export interface ByteSource {
  readonly size: number;
  readonly head: Buffer;
  chunks(): Iterable<Buffer>;
  /** All the bytes at once, for the parsers that do not stream. */
  whole(): Buffer;
}

/** Bytes already in memory. */
export function bufferSource(bytes: Buffer): ByteSource {
  return {
    size: bytes.length,
    head: bytes.subarray(0, HEAD_BYTES),
    *chunks() {
      for (let offset = 0; offset < bytes.length; offset += SOURCE_CHUNK_BYTES) yield bytes.subarray(offset, offset + SOURCE_CHUNK_BYTES);
    },
    whole: () => bytes,
  };
}

/** A file, read a chunk at a time into one reused buffer (each chunk is consumed before the next is read). */
export function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    readSync(fd, head, 0, head.length, 0);
    return { size, head, chunks: () => fileChunks(path), whole: () => readFileSync(path) };
  } finally {
    closeSync(fd);
  }
}

function* fileChunks(path: string): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(SOURCE_CHUNK_BYTES);
    for (let read = readSync(fd, chunk, 0, chunk.length, null); read > 0; read = readSync(fd, chunk, 0, chunk.length, null)) {
      yield chunk.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}
