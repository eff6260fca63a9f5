import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import enUS from '../locales/en-US.json';
import zhCN from '../locales/zh-CN.json';

export type UiLang = 'zh-CN' | 'en-US';
const STORAGE_KEY = 'carecircle.lang';
/** Every "today" and every displayed time is in the time zone of the service, not the browser's. */
export const TIME_ZONE = 'Asia/Shanghai';

dayjs.extend(utc);
dayjs.extend(timezone);

function storedLang(): UiLang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en-US' ? 'en-US' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

const initial = storedLang();
dayjs.locale(initial === 'zh-CN' ? 'zh-cn' : 'en');
// Each feature keeps its own texts in features/<name>/locales/{zh-CN,en-US}.json, under the key <name>.
const featureTexts = import.meta.glob<Record<string, unknown>>('../features/*/locales/*.json', {
  eager: true,
  import: 'default',
});
function withFeatures(base: Record<string, unknown>, lang: UiLang): Record<string, unknown> {
  const out = { ...base };
  for (const [file, texts] of Object.entries(featureTexts)) {
    const m = file.match(/features\/([^/]+)\/locales\/([^/]+)\.json$/);
    if (m && m[2] === lang) out[m[1]] = { ...(out[m[1]] as object), ...texts };
  }
  return out;
}

void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: withFeatures(zhCN, 'zh-CN') },
    'en-US': { translation: withFeatures(enUS, 'en-US') },
  },
  lng: initial,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});
document.documentElement.lang = initial;

export function currentLang(): UiLang {
  return i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
}

/** Switches the UI language, remembers it across reloads and sends it on API calls from now on. */
export async function setLang(lang: UiLang): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the switch still applies to this page
  }
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = lang;
  await i18n.changeLanguage(lang);
}

/** A timestamp from the API shown in the service's time zone. */
export function formatTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '';
  return dayjs(iso)
    .tz(TIME_ZONE)
    .format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
}

export { i18n };
