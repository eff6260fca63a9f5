// A streaming tokenizer for the machine-written XML inside .xlsx parts (SpreadsheetML): elements,
// attributes, text and the five predefined and numeric entities. Fed decoded text in chunks of any
// size; it keeps only an unfinished piece of markup between chunks, and refuses one longer than
// `maxMarkup`, so a hostile part cannot make it buffer without bound. No DTDs, no custom entities
// (nothing to expand, so no "billion laughs"). See decision 0014 for why we read .xlsx ourselves.

export interface XmlHandler {
  /** local name (namespace prefix dropped); attribute names are local names too */
  open(name: string, attrs: Record<string, string>, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

export class XmlError extends Error {}

const entity = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g;
const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(entity, (_m, e: string) => {
    if (e[0] !== '#') return named[e]!;
    const code = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

const local = (name: string) => {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

const attribute = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseTag(h: XmlHandler, body: string): void {
  if (body[0] === '/') {
    h.close(local(body.slice(1).trim()));
    return;
  }
  const selfClosing = body.endsWith('/');
  const inner = selfClosing ? body.slice(0, -1) : body;
  const m = /^[^\s/]+/.exec(inner);
  if (!m) throw new XmlError('empty tag');
  const attrs: Record<string, string> = {};
  const rest = inner.slice(m[0].length);
  if (rest.trim() !== '') {
    for (const a of rest.matchAll(attribute)) attrs[local(a[1]!)] = decodeEntities(a[2] ?? a[3] ?? '');
  }
  h.open(local(m[0]), attrs, selfClosing);
}

/** Index of the `>` closing the tag that starts at `from`, skipping quoted attribute values; -1 if unfinished. */
function tagEnd(s: string, from: number): number {
  let quote = '';
  for (let i = from + 1; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

export class XmlTokenizer {
  private rest = '';

  constructor(
    private readonly h: XmlHandler,
    private readonly maxMarkup = 64 * 1024,
  ) {}

  write(chunk: string): void {
    const s = this.rest + chunk;
    let i = 0;
    while (i < s.length) {
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        // text to the end; an entity cut by the chunk boundary waits for the next chunk
        let cut = s.length;
        const amp = s.lastIndexOf('&');
        if (amp >= i && s.indexOf(';', amp) < 0 && s.length - amp <= 10) cut = amp;
        if (cut > i) this.h.text(decodeEntities(s.slice(i, cut)));
        i = cut;
        break;
      }
      if (lt > i) this.h.text(decodeEntities(s.slice(i, lt)));
      i = lt;
      let end: number;
      if (s.startsWith('<!--', i)) {
        end = s.indexOf('-->', i + 4);
        if (end < 0) break;
        i = end + 3;
      } else if (s.startsWith('<![CDATA[', i)) {
        end = s.indexOf(']]>', i + 9);
        if (end < 0) break;
        this.h.text(s.slice(i + 9, end));
        i = end + 3;
      } else if (s.startsWith('<?', i)) {
        end = s.indexOf('?>', i + 2);
        if (end < 0) break;
        i = end + 2;
      } else if (s.startsWith('<!', i)) {
        if (s.length - i < 9) break; // may still become <![CDATA[
        end = s.indexOf('>', i);
        if (end < 0) break;
        i = end + 1;
      } else {
        end = tagEnd(s, i);
        if (end < 0) break;
        parseTag(this.h, s.slice(i + 1, end));
        i = end + 1;
      }
    }
    this.rest = s.slice(i);
    if (this.rest.length > this.maxMarkup) throw new XmlError('markup too long');
  }

  end(): void {
    if (this.rest.trim() !== '') throw new XmlError('unfinished markup');
  }
}
