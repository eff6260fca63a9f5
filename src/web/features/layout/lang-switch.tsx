import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLang } from '../../lib/i18n.ts';

/** Switches between 中文 and English; remembered in localStorage and sent as Accept-Language. */
export function LangSwitch({ dark = false }: { dark?: boolean }) {
  const { t, i18n } = useTranslation();
  const other = i18n.language === 'en-US' ? 'zh-CN' : 'en-US';
  return (
    <Button
      data-testid="lang-switch"
      type="text"
      size="small"
      icon={<GlobalOutlined />}
      title={t('lang.switch')}
      style={dark ? { color: 'rgba(255,255,255,0.85)' } : undefined}
      onClick={() => void setLang(other)}
    >
      {t(`lang.${other}`)}
    </Button>
  );
}
