import { HistoryOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { IncidentHistoryList } from './incident-history-list.tsx';
import { useHistory } from './incidents-api.ts';

const PAGE = 10;

/** 事件 on the elder's page: every incident of this elder, newest first, each with its story. */
export function ElderIncidentsPanel({ elderId }: { elderId: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const q = useHistory({ elderId, limit: PAGE, offset: (page - 1) * PAGE });
  if (q.isError) return <LoadError {...retryOf(q)} />;
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text type="secondary" data-testid="elder-incidents-total">
          {t('incidents.history.total', { count: q.data?.total ?? 0 })}
        </Typography.Text>
        <Button
          icon={<HistoryOutlined />}
          onClick={() => navigate(`/incidents/history?elder=${elderId}&from=&to=`)}
        >
          {t('incidents.history.openInHistory')}
        </Button>
      </Space>
      <IncidentHistoryList
        testId="elder-incidents"
        items={q.data?.items}
        loading={q.isPending}
        showElder={false}
        pagination={{ current: page, pageSize: PAGE, total: q.data?.total ?? 0, onChange: setPage }}
      />
    </Space>
  );
}
