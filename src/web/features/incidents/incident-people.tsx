import { EyeOutlined, UserOutlined } from '@ant-design/icons';
import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../shared/incidents.ts';

/**
 * Who has taken the incident on (负责人: a staff action or a relative's "我去看看") and who only knows
 * (已知晓: "收到"). Knowing never stops the ladder, so the two are shown apart (decision 0008).
 */
export function IncidentPeople({ incident: i, compact = false }: { incident: Incident; compact?: boolean }) {
  const { t } = useTranslation();
  if (compact) {
    // the queue: only the count of those who know, while nobody has taken it on
    if (i.responsible || i.knownBy.length === 0) return null;
    return (
      <Typography.Text type="secondary" data-testid="queue-known">
        <EyeOutlined /> {t('incidents.people.known')} {i.knownBy.length}
      </Typography.Text>
    );
  }
  return (
    <Space orientation="vertical" size={4} data-testid="incident-people">
      <Space size={6} wrap>
        <Typography.Text strong>
          <UserOutlined /> {t('incidents.people.responsible')}：
        </Typography.Text>
        {i.responsible ? (
          <Tag color="green" data-testid="incident-responsible">
            {i.responsible}
          </Tag>
        ) : (
          <Typography.Text type="danger" data-testid="incident-responsible">
            {t('incidents.people.nobody')}
          </Typography.Text>
        )}
      </Space>
      {i.knownBy.length > 0 && (
        <Space size={6} wrap data-testid="incident-known">
          <Typography.Text strong>
            <EyeOutlined /> {t('incidents.people.known')}：
          </Typography.Text>
          {i.knownBy.map((name) => (
            <Tag key={name}>{name}</Tag>
          ))}
        </Space>
      )}
    </Space>
  );
}
