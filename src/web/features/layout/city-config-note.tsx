import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';

/** Shown instead of the edit buttons of a city-wide setting to an administrator below the city. */
export function CityConfigNote() {
  const { t } = useTranslation();
  return (
    <Alert
      type="warning"
      showIcon
      title={t('layout.cityConfigReadOnly')}
      data-testid="city-config-readonly"
    />
  );
}
