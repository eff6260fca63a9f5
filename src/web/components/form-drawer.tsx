import { Alert, Button, Drawer, Grid, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A create/edit form in a side drawer: 取消 and 保存 at the top, the server's refusals in one alert above
 * the form (the first as the title, the rest after it), full width on a phone. The caller owns the form
 * and its save; `onSave` usually submits it (`form.submit()`).
 */
export function FormDrawer({
  open,
  onClose,
  title,
  width,
  wideFrom = 'sm',
  saving,
  onSave,
  errors,
  saveTestId,
  errorTestId,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  /** the drawer's width from the `wideFrom` breakpoint up; full width below it */
  width: number;
  wideFrom?: 'sm' | 'md';
  saving: boolean;
  onSave: () => void;
  errors: string[];
  saveTestId: string;
  errorTestId: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={screens[wideFrom] ? width : '100%'}
      title={title}
      destroyOnHidden
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={onSave} data-testid={saveTestId}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={errors[0]}
          description={errors.length > 1 ? errors.slice(1).join('；') : undefined}
          data-testid={errorTestId}
        />
      )}
      {children}
    </Drawer>
  );
}
