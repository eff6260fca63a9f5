import { CloudOutlined, CloudSyncOutlined, DisconnectOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../lib/i18n.ts';
import { discardOutboxItem, flushOutbox } from './outbox.ts';
import { useOutbox } from './use-outbox.ts';

/** Online or not, how many records wait on the phone, and a button to send them now. */
export function SyncBar() {
  const { t } = useTranslation();
  const box = useOutbox();
  const waiting = box.items.filter((i) => !i.error);
  const refused = box.items.filter((i) => i.error);
  const state = box.syncing ? 'syncing' : !box.online ? 'offline' : waiting.length > 0 ? 'pending' : 'synced';

  return (
    <Space orientation="vertical" size={8} style={{ width: '100%', marginBottom: 12 }}>
      <div
        data-testid="sync-status"
        data-state={state}
        data-pending={waiting.length}
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 8,
          flexWrap: 'wrap',
          padding: '8px 12px',
          borderRadius: 8,
          background: box.online ? '#f6ffed' : '#fff7e6',
          border: `1px solid ${box.online ? '#b7eb8f' : '#ffd591'}`,
        }}
      >
        {box.online ? <CloudOutlined style={{ color: '#52c41a' }} /> : <DisconnectOutlined />}
        <Typography.Text style={{ flex: 1, minWidth: 0 }}>
          {box.online ? t('worklist.sync.online') : t('worklist.sync.offline')}
        </Typography.Text>
        {waiting.length > 0 ? (
          <Tag color="orange" data-testid="outbox-pending">
            {t('worklist.sync.pending', { count: waiting.length })}
          </Tag>
        ) : (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {box.lastSyncedAt
              ? t('worklist.sync.lastSynced', { time: formatTime(box.lastSyncedAt).slice(11) })
              : t('worklist.sync.allSynced')}
          </Typography.Text>
        )}
        {waiting.length > 0 && (
          <Button
            size="small"
            icon={<CloudSyncOutlined />}
            loading={box.syncing}
            onClick={() => void flushOutbox()}
            data-testid="sync-now"
          >
            {box.syncing ? t('worklist.sync.syncing') : t('worklist.sync.syncNow')}
          </Button>
        )}
      </div>
      {refused.map((i) => (
        <Alert
          key={i.key}
          type="error"
          showIcon
          icon={<WarningOutlined />}
          title={`${i.elderName}：${t('worklist.sync.failed', { message: i.error })}`}
          action={
            <Button size="small" danger onClick={() => discardOutboxItem(i.key)}>
              {t('worklist.sync.discard')}
            </Button>
          }
        />
      ))}
    </Space>
  );
}
