import { createDeflateRaw, deflateRawSync } from 'node:zlib';

// Hand-made .xlsx containers for hostile-file tests: any part, any declared size, deflated as a
// stream so a part of hundreds of MB costs the test a few hundred KB of memory.

export interface Part {
  name: string;
  /** deflated bytes */
  data: Buffer;
  /** uncompressed size written into the zip directory (a bomb may lie) */
  size: number;
}

export function part(name: string, xml: string): Part {
  const raw = Buffer.from(xml, 'utf8');
  return { name, data: deflateRawSync(raw), size: raw.length };
}

/** A part made of `prefix`, `times` × `unit`, `suffix`, deflated without holding it whole. */
export async function repeatedPart(
  name: string,
  prefix: string,
  unit: Buffer,
  times: number,
  suffix: string,
): Promise<Part> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const write = (b: Buffer) =>
    deflate.write(b) ? Promise.resolve() : new Promise((r) => deflate.once('drain', r));
  await write(Buffer.from(prefix));
  for (let i = 0; i < times; i++) await write(unit);
  deflate.end(Buffer.from(suffix));
  await done;
  return {
    name,
    data: Buffer.concat(out),
    size: Buffer.byteLength(prefix) + unit.length * times + Buffer.byteLength(suffix),
  };
}

/** A zip of the parts (deflate, no CRC check by our reader, so CRC is left 0). */
export function zip(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(Math.min(p.size, 0xfffffffe), 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(Math.min(p.size, 0xfffffffe), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function inlineCell(ref: string, text: string): string {
  return `<c r="${ref}" t="inlineStr"><is><t>${esc(text)}</t></is></c>`;
}

/** A workbook whose first sheet holds `sheetData` rows (XML), with optional shared strings. */
export function workbook(sheetRows: string, extra: Part[] = []): Buffer {
  return zip([
    part(
      'xl/workbook.xml',
      '<workbook xmlns:r="r"><sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    part(
      'xl/_rels/workbook.xml.rels',
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    ...extra,
    part('xl/worksheets/sheet1.xml', `<worksheet><sheetData>${sheetRows}</sheetData></worksheet>`),
  ]);
}

/** The roster header row (姓名 / 身份证号 / 社区) as sheet XML. */
export const headerRow = `<row r="1">${inlineCell('A1', '姓名')}${inlineCell('B1', '身份证号')}${inlineCell('C1', '社区')}</row>`;
