import { Card, Col, Descriptions, Row, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCurrentUser } from '../../lib/auth.ts';
import { TIME_ZONE } from '../../lib/i18n.ts';
import { menuEntries, menuKeysFor } from '../../lib/menu.tsx';

function greetingKey(hour: number): string {
  if (hour < 12) return 'dashboard.morning';
  if (hour < 18) return 'dashboard.afternoon';
  return 'dashboard.evening';
}

/** 工作台: who I am, what I look after, where to go next. Feature modules add their cards later. */
export function DashboardPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const now = dayjs().tz(TIME_ZONE);
  const date = now.format(t('dashboard.dateFormat'));
  const shortcuts = menuKeysFor(me.role).filter((k) => k !== 'dashboard');

  return (
    <div data-testid="dashboard">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t(greetingKey(now.hour()), { name: me.user.displayName })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('dashboard.today', { date })}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('dashboard.role')}>
                <Tag color="blue" data-testid="my-role">
                  {t(`role.${me.role}`)}
                </Tag>
              </Descriptions.Item>
              {me.user.carerKind && (
                <Descriptions.Item label={t('dashboard.carerKind')}>
                  {t(`carerKind.${me.user.carerKind}`)}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('dashboard.scopes')}>
                {me.scopes.length === 0 ? (
                  t('dashboard.noScopes')
                ) : (
                  <span data-testid="my-scopes">
                    {me.scopes.map((s) => (
                      <Tag key={s.id}>
                        {s.name} · {t(`orgKind.${s.kind}`)}
                      </Tag>
                    ))}
                  </span>
                )}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        {shortcuts.length > 0 && (
          <Col xs={24} lg={12}>
            <Card title={t('dashboard.shortcuts')}>
              <Row gutter={[12, 12]}>
                {shortcuts.map((k) => (
                  <Col key={k} xs={12} sm={8}>
                    <Card hoverable size="small" onClick={() => navigate(menuEntries[k].path)}>
                      <span style={{ marginRight: 8 }}>{menuEntries[k].icon}</span>
                      {t(`menu.${k}`)}
                    </Card>
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}
