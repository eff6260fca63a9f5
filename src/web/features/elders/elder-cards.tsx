import { RightOutlined } from '@ant-design/icons';
import { List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { StatusTag } from './elder-tags.tsx';
import { ageBand, type ElderListItem } from './elders-api.ts';

/** The registry on a phone: one tappable card per elder, nothing wider than the screen. */
export function ElderCards({ items, loading }: { items: ElderListItem[]; loading: boolean }) {
  const { t } = useTranslation();
  return (
    <List<ElderListItem>
      data-testid="elder-cards"
      loading={loading}
      dataSource={items}
      rowKey="id"
      renderItem={(e) => {
        const band = ageBand(e.age);
        return (
          <List.Item style={{ paddingInline: 0 }} data-testid={`elder-card-${e.id}`}>
            <Link
              to={`/elders/${e.id}`}
              style={{
                display: 'flex',
                alignItems: 'center',
                width: '100%',
                minHeight: 56,
                color: 'inherit',
              }}
            >
              <Space orientation="vertical" size={2} style={{ flex: 1, minWidth: 0 }}>
                <Space size={6} wrap>
                  <Typography.Text strong style={{ fontSize: 17 }}>
                    {e.name}
                  </Typography.Text>
                  <Typography.Text type="secondary">
                    {t(`elders.gender.${e.gender}`)} · {t('elders.ageYears', { age: e.age })}
                  </Typography.Text>
                  {band && <Tag color="orange">{band}</Tag>}
                  <StatusTag status={e.status} />
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 13, wordBreak: 'break-all' }}>
                  {e.org?.name}
                  {e.livingSituation ? ` · ${e.livingSituation}` : ''}
                  {e.phones[0] && <span style={{ whiteSpace: 'nowrap' }}> · {e.phones[0]}</span>}
                </Typography.Text>
                {(e.categories.length > 0 || e.tags.length > 0) && (
                  <Space size={[4, 4]} wrap>
                    {e.categories.map((c) => (
                      <Tag key={c}>{c}</Tag>
                    ))}
                    {e.tags.map((c) => (
                      <Tag key={c} color={c === '重点关注' ? 'red' : 'blue'}>
                        {c}
                      </Tag>
                    ))}
                  </Space>
                )}
              </Space>
              <RightOutlined style={{ color: '#bbb', marginLeft: 8 }} />
            </Link>
          </List.Item>
        );
      }}
    />
  );
}
