import { Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { useDuties, useLoad } from './care-api.ts';
import { DutyList } from './duty-list.tsx';

/** Overdue contacts, and any carer's list, within the chosen org. */
export function DutiesTab({ orgId }: { orgId: number }) {
  const { t } = useTranslation();
  const [overdue, setOverdue] = useState(true);
  const [carer, setCarer] = useState<number | undefined>();
  const load = useLoad(orgId);
  const list = useDuties({ orgId, overdue, assigneeId: carer });
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Space>
          <Switch checked={overdue} onChange={setOverdue} data-testid="duties-overdue" />
          <Typography.Text>{t('care.duties.overdueOnly')}</Typography.Text>
        </Space>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('care.duties.pickCarer')}
          value={carer}
          onChange={setCarer}
          loading={load.isPending}
          style={{ width: 220, maxWidth: '100%' }}
          options={load.data?.carers.map((c) => ({
            value: c.carerId,
            label: `${c.name}（${c.due}/${c.elders}）`,
          }))}
          data-testid="duties-carer"
        />
        <Typography.Text type="secondary">
          {t('common.total', { count: list.data?.items.length ?? 0 })}
        </Typography.Text>
      </Space>
      {list.isError && <LoadError inline {...retryOf(list)} />}
      <DutyList items={list.data?.items} loading={list.isFetching} testId="care-duties" />
    </>
  );
}
