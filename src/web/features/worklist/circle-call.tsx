import { PhoneOutlined } from '@ant-design/icons';
import { Alert, Button, List, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCircleToCall } from './worklist-api.ts';

/**
 * 联系关爱圈: after 未接通 or 有异常, the elder's circle in its call order (the relative who lives nearby
 * first, as the coordinator ordered it), each number a tap-to-call link.
 */
export function CircleCall({ dutyId }: { dutyId: number }) {
  const { t } = useTranslation();
  const q = useCircleToCall(dutyId);
  return (
    <div data-testid="circle-call">
      <Typography.Text strong style={{ fontSize: 16 }}>
        {t('worklist.circle.title')}
      </Typography.Text>
      <Typography.Paragraph style={{ color: '#595959', fontSize: 14, margin: '4px 0 8px' }}>
        {t('worklist.circle.hint')}
      </Typography.Paragraph>
      {q.isPending ? (
        <Spin />
      ) : q.isError ? (
        <Alert type="warning" showIcon title={t('worklist.circle.unavailable')} />
      ) : q.data.items.length === 0 ? (
        <Typography.Text style={{ color: '#595959', fontSize: 14 }}>
          {t('worklist.circle.empty')}
        </Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={q.data.items}
          renderItem={(c) => (
            <List.Item data-testid="circle-person" style={{ paddingInline: 0 }}>
              <div style={{ flex: 1, minWidth: 0 }}>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {c.name}
                </Typography.Text>{' '}
                <Typography.Text style={{ color: '#595959', fontSize: 14 }}>
                  {c.relation ?? t(`worklist.circle.kinds.${c.kind}`, { defaultValue: '' })}
                </Typography.Text>{' '}
                {c.livesNearby && <Tag color="green">{t('worklist.circle.nearby')}</Tag>}
              </div>
              <Button
                type="primary"
                href={`tel:${c.phones[0]}`}
                icon={<PhoneOutlined />}
                style={{ height: 44, fontSize: 16 }}
                aria-label={`${t('worklist.call')} ${c.name} ${c.phones[0]}`}
              >
                {c.phones[0]}
              </Button>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
