/**
 * Free text placed in SMS and voice messages (an elder's name, address, a note) comes from forms and
 * imported ledgers. A relative reads it as coming from us, and a voice gateway reads it aloud, so it is
 * reduced to a safe set before it goes in: no control or invisible formatting characters (they can
 * reorder what a phone displays), no link or domain smuggled in through a name (a phishing link
 * signed 【关爱圈】), no bracket that fakes our signature, and a bounded length.
 */

// URLs, www.…, e-mail addresses and bare domains (letters.letters, also with full-width dots)
const linkLike =
  /(?:[a-z][a-z0-9+.-]*:\/\/\S*|www[.．。]\S*|[\w.+-]+@[\w-]+(?:[.．。][\w-]+)+|[a-z0-9-]+(?:[.．。][a-z0-9-]+)*[.．。][a-z]{2,}\b\S*)/giu;

// What may stay: letters and digits of any script, spaces, and the punctuation of names and Chinese
// addresses. Everything else (control, format and private-use characters, symbols, brackets such as
// 【】 that fake a sender's signature, ':' '/' '.' that build links) is dropped.
const unsafe = /[^\p{L}\p{M}\p{N} ·•\-－—_#＃()（）,，、]/gu;

/** `text` reduced to the safe set, whitespace collapsed, at most `max` characters (… when cut). */
export function smsSafe(text: string | null | undefined, max = 40): string {
  if (!text) return '';
  const cleaned = text
    .normalize('NFKC')
    .replace(/[\t\n\v\f\r\u0085\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(linkLike, ' ')
    .replace(unsafe, '')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...cleaned];
  return chars.length <= max
    ? cleaned
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
