import { createInflateRaw } from 'node:zlib';

// The zip container of an .xlsx, read from its central directory so that every entry's size is
// known (and bounded) before a byte is inflated, and inflated as a stream that stops at the bound
// whatever the directory claims (a zip bomb lies about its sizes). See decision 0014.

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  /** offset of the entry's local header */
  offset: number;
}

/** Thrown for a container we cannot or will not read; `kind` picks the user's message. */
export class ZipError extends Error {
  constructor(
    readonly kind: 'notZip' | 'truncated' | 'damaged' | 'tooManyEntries' | 'unsupported',
    detail: string,
  ) {
    super(detail);
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries of a zip held in memory, from its central directory. */
export function zipEntries(file: Buffer, maxEntries: number): Map<string, ZipEntry> {
  if (file.length < 22 || file.readUInt32LE(0) !== LOCAL) throw new ZipError('notZip', 'no local header');
  // the end-of-central-directory record sits in the last 22 + (comment ≤ 65535) bytes
  let eocd = -1;
  for (let i = file.length - 22; i >= Math.max(0, file.length - 22 - 0xffff); i--) {
    if (file.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('truncated', 'no end of central directory');
  const count = file.readUInt16LE(eocd + 10);
  const cdSize = file.readUInt32LE(eocd + 12);
  const cdOffset = file.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError('unsupported', 'zip64');
  if (count > maxEntries) throw new ZipError('tooManyEntries', `${count} entries`);
  if (cdOffset + cdSize > eocd) throw new ZipError('truncated', 'central directory out of range');
  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || file.readUInt32LE(p) !== CENTRAL) throw new ZipError('truncated', 'bad directory');
    const nameLength = file.readUInt16LE(p + 28);
    const extraLength = file.readUInt16LE(p + 30);
    const commentLength = file.readUInt16LE(p + 32);
    const entry: ZipEntry = {
      method: file.readUInt16LE(p + 10),
      compressedSize: file.readUInt32LE(p + 20),
      size: file.readUInt32LE(p + 24),
      offset: file.readUInt32LE(p + 42),
      name: file.toString('utf8', p + 46, p + 46 + nameLength),
    };
    entries.set(entry.name.replace(/^\//, ''), entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * The entry's bytes as a stream of chunks, at most `maxBytes` of them: the declared size is checked
 * first, the actual inflated size as it flows. `onTooLarge` makes the error to throw.
 */
export async function* entryChunks(
  file: Buffer,
  entry: ZipEntry,
  maxBytes: number,
  onTooLarge: () => Error,
): AsyncGenerator<Buffer> {
  if (entry.size > maxBytes) throw onTooLarge();
  const p = entry.offset;
  if (p + 30 > file.length || file.readUInt32LE(p) !== LOCAL) throw new ZipError('truncated', entry.name);
  const start = p + 30 + file.readUInt16LE(p + 26) + file.readUInt16LE(p + 28);
  const end = start + entry.compressedSize;
  if (end > file.length) throw new ZipError('truncated', entry.name);
  const data = file.subarray(start, end);
  if (entry.method === 0) {
    if (data.length > maxBytes) throw onTooLarge();
    for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024);
    return;
  }
  if (entry.method !== 8) throw new ZipError('unsupported', `method ${entry.method}`);
  const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
  inflate.end(data);
  let total = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw onTooLarge();
      // more bytes than the directory declared: a lying (bomb-like) or damaged entry
      if (total > entry.size) throw new ZipError('damaged', `${entry.name}: larger than declared`);
      yield chunk;
    }
  } catch (e) {
    if (e instanceof ZipError || !(e as { code?: string }).code?.startsWith('Z_')) throw e;
    throw new ZipError('damaged', `${entry.name}: ${(e as Error).message}`);
  } finally {
    inflate.destroy();
  }
}
