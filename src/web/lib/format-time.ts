import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * A moment as a Chinese office writes it, in the service's time zone: "12月5日 17:15" (the year only when
 * it is not this year: "2025年12月5日 17:15"); in English "Dec 5, 17:15". For people outside the office
 * (a relative's SMS link), where "2026-12-05 17:15" reads as a code.
 */
export function formatMoment(
  iso: string | null | undefined,
  lang: 'zh-CN' | 'en-US',
  timeZone = 'Asia/Shanghai',
  now: Date = new Date(),
): string {
  if (!iso) return '';
  const at = dayjs(iso).tz(timeZone);
  const thisYear = at.year() === dayjs(now).tz(timeZone).year();
  if (lang === 'en-US') return at.format(thisYear ? 'MMM D, HH:mm' : 'MMM D YYYY, HH:mm');
  return at.format(thisYear ? 'M月D日 HH:mm' : 'YYYY年M月D日 HH:mm');
}

/** A calendar day (YYYY-MM-DD) as an office writes it: "2027年6月30日"; in English "Jun 30, 2027". */
export function formatDay(day: string | null | undefined, lang: 'zh-CN' | 'en-US'): string {
  if (!day) return '';
  const d = dayjs(day); // a date without a time parses as that local day
  return lang === 'en-US' ? d.format('MMM D, YYYY') : d.format('YYYY年M月D日');
}
