import { SaxesParser, type SaxesTagNS } from 'saxes';
import { inWords, saxesDetail } from './details.js';
import { type ByteSource, bufferSource } from './source.js';
import { StatementError } from './types.js';

/** Source text kept before a chunk, so that a capture can begin with the previous chunk's last tag. */
const CAPTURE_TAIL = 1024;
const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});

/** What a visitor sees of the document while it is read, and how it hands values back. */
export interface XmlCursor<T> {
  /** Local names (namespace prefixes dropped) of the open elements, root first, including the current one. */
  readonly path: readonly string[];
  /** Queues a value; the reader yields queued values after each chunk. */
  emit(value: T): void;
  /** Starts keeping the source text, from the `<` of the element just opened. */
  startCapture(): void;
  /** Returns the source text kept since startCapture, up to the end of the element just closed, and stops (a slice: detach what is kept long). */
  endCapture(): string;
  /** `line N column M` of the parser, 1-based, for messages. */
  location(): string;
}

/** Callbacks of a streaming read: elements by local name, with the text directly inside them. */
export interface XmlVisitor<T> {
  open(cursor: XmlCursor<T>, name: string, attributes: Readonly<Record<string, string>>): void;
  /** `text` is the character data since the last tag: an element's whole text when it has no children. */
  close(cursor: XmlCursor<T>, name: string, text: string): void;
  /** The document ended well-formed. */
  end?(cursor: XmlCursor<T>): void;
}

/**
 * Reads XML bytes in chunks through saxes (strict, namespace-aware), calling the visitor as elements open and
 * close and yielding what it emits. Refuses DTDs and entity references (`bank.xml_hostile`) and reports broken
 * XML with its line and column (`bank.xml_malformed`).
 */
export function* readXml<T>(input: Buffer | ByteSource, visitor: XmlVisitor<T>): Generator<T> {
  yield* new XmlReader(Buffer.isBuffer(input) ? bufferSource(input) : input, visitor).run();
}

/** Parses the bytes with the same decoding and parser settings as readXml, only counting elements. */
export function countXmlElements(input: Buffer | ByteSource): number {
  const source = Buffer.isBuffer(input) ? bufferSource(input) : input;
  let count = 0;
  const parser = newParser();
  parser.on('opentag', () => {
    count += 1;
  });
  parser.on('doctype', () => {
    throw new StatementError('bank.xml_hostile', `line ${parser.line}`, inWords('parse_detail.doctype'));
  });
  const decoder = decoderFor(source.head);
  for (const chunk of source.chunks()) parser.write(decoder.decode(chunk, { stream: true }));
  parser.write(decoder.decode());
  parser.close();
  return count;
}

function newParser(): SaxesParser<{ xmlns: true }> {
  return new SaxesParser({ xmlns: true });
}

class XmlReader<T> implements XmlCursor<T> {
  readonly path: string[] = [];
  private readonly parser = newParser();
  private readonly decoder: TextDecoder;
  private queue: T[] = [];
  private text = '';
  /** Decoded source kept for captures; `bufferStart` is the stream position of its first character. */
  private buffer = '';
  private bufferStart = 0;
  private fed = 0;
  private captureStart = -1;

  constructor(
    private readonly source: ByteSource,
    private readonly visitor: XmlVisitor<T>,
  ) {
    this.decoder = decoderFor(source.head);
    this.listen();
  }

  *run(): Generator<T> {
    for (const chunk of this.source.chunks()) {
      this.feed(this.decode(chunk));
      yield* this.drain();
    }
    this.feed(this.decode(null));
    this.parser.close();
    this.visitor.end?.(this);
    yield* this.drain();
  }

  emit(value: T): void {
    this.queue.push(value);
  }

  startCapture(): void {
    // The open tag just read ends at the parser's position and holds no other `<` (attribute values cannot).
    // Dropping what came before keeps a long run of captures from accumulating the whole file.
    const tagStart = this.buffer.lastIndexOf('<', this.parser.position - this.bufferStart - 1);
    this.captureStart = this.bufferStart + Math.max(tagStart, 0);
    this.buffer = this.buffer.slice(this.captureStart - this.bufferStart);
    this.bufferStart = this.captureStart;
  }

  endCapture(): string {
    const from = this.captureStart - this.bufferStart;
    this.captureStart = -1;
    return this.buffer.slice(from, this.parser.position - this.bufferStart);
  }

  location(): string {
    return `line ${this.parser.line} column ${this.parser.column + 1}`;
  }

  private *drain(): Generator<T> {
    const values = this.queue;
    this.queue = [];
    yield* values;
  }

  private decode(chunk: Buffer | null): string {
    try {
      return chunk ? this.decoder.decode(chunk, { stream: true }) : this.decoder.decode();
    } catch {
      throw new StatementError('bank.xml_malformed', this.location(), inWords('parse_detail.not_encoding', { encoding: this.decoder.encoding }));
    }
  }

  private feed(chunk: string): void {
    if (this.captureStart >= 0) {
      this.buffer += chunk;
    } else {
      const tail = this.buffer.slice(-CAPTURE_TAIL);
      this.bufferStart = this.fed - tail.length;
      this.buffer = tail + chunk;
    }
    this.fed += chunk.length;
    this.parser.write(chunk);
  }

  private listen(): void {
    const parser = this.parser;
    // No `opentagstart` handler: measured on Node 20, saxes with it and a text handler ran 3-4 times slower.
    parser.on('opentag', (tag: SaxesTagNS) => this.onOpen(tag));
    parser.on('closetag', (tag: SaxesTagNS) => this.onClose(tag));
    parser.on('text', (text: string) => {
      this.text += text;
    });
    parser.on('cdata', (text: string) => {
      this.text += text;
    });
    parser.on('doctype', () => {
      throw new StatementError('bank.xml_hostile', this.location(), inWords('parse_detail.doctype'));
    });
    parser.on('error', (error: Error) => {
      throw this.failure(error.message.replace(/^\d+:\d+: /, ''));
    });
  }

  private onOpen(tag: SaxesTagNS): void {
    this.path.push(tag.local);
    this.text = '';
    this.visitor.open(this, tag.local, attributesOf(tag));
  }

  private onClose(tag: SaxesTagNS): void {
    const text = this.text;
    this.text = '';
    this.visitor.close(this, tag.local, text);
    this.path.pop();
  }

  private failure(message: string): StatementError {
    if (message.startsWith('undefined entity')) {
      const where = this.path.length > 0 ? `${this.path.join('/')}, ${this.location()}` : this.location();
      return new StatementError('bank.xml_hostile', where, inWords('parse_detail.entities_only'));
    }
    return new StatementError('bank.xml_malformed', this.location(), saxesDetail(message));
  }
}

function attributesOf(tag: SaxesTagNS): Readonly<Record<string, string>> {
  let attributes: Record<string, string> | null = null;
  for (const key in tag.attributes) {
    const attribute = tag.attributes[key];
    if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
    attributes ??= {};
    attributes[attribute.local] = attribute.value;
  }
  return attributes ?? NO_ATTRIBUTES;
}

/** A strict decoder for the encoding the bytes announce (BOM, then the XML declaration), UTF-8 by default. */
function decoderFor(bytes: Buffer): TextDecoder {
  const label = declaredEncoding(bytes);
  try {
    return new TextDecoder(label, { fatal: true });
  } catch {
    throw new StatementError('bank.xml_malformed', 'line 1 column 1', inWords('parse_detail.unknown_encoding', { encoding: label }));
  }
}

function declaredEncoding(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const head = bytes.subarray(0, 256).toString('latin1');
  const declaration = /^(?:\xef\xbb\xbf)?<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/.exec(head);
  return declaration ? declaration[1].toLowerCase() : 'utf-8';
}
