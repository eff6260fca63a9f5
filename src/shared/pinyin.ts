import { pinyin } from 'pinyin-pro';

// Search keys for names: 朱永福 → zhuyongfu / zyf. Surname mode reads a polyphonic first character
// as a surname (单 shan, 曾 zeng, 解 xie); ü is written v as people type it (吕 → lv).
export function pinyinKeys(name: string): { full: string; initials: string } {
  const text = (name ?? '').replace(/[\s\u3000·•.]/g, '');
  if (text === '') return { full: '', initials: '' };
  const syllables = pinyin(text, { toneType: 'none', surname: 'head', type: 'array', v: true });
  const parts = syllables.map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, '')).filter((s) => s !== '');
  return { full: parts.join(''), initials: parts.map((s) => (/^[a-z]/.test(s) ? s[0] : s)).join('') };
}
