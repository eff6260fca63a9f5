import { Progress, Table, type TableColumnsType, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { orgTreeSelectProps } from '../../lib/orgs.ts';
import { useOrgTreeOptions } from './elder-filters.tsx';
import { type Completeness, useCompleteness } from './elders-api.ts';

type Row = Completeness['rows'][number];

function Share({ value }: { value: number }) {
  return (
    <Progress percent={Math.round(value * 1000) / 10} size="small" style={{ minWidth: 90, margin: 0 }} />
  );
}

/** 档案完整率: shares of elders with a health record, a family doctor and a signed agreement, per org. */
export function CompletenessPanel({ phone }: { phone: boolean }) {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState<number | undefined>();
  const geo = useOrgTreeOptions('geo');
  const stats = useCompleteness(orgId);

  const columns: TableColumnsType<Row> = [
    { title: t('elders.completeness.org'), key: 'org', render: (_, r) => r.org.name, width: 140 },
    { title: t('elders.completeness.elders'), dataIndex: 'elders', width: 80 },
    {
      title: t('elders.completeness.healthRecord'),
      key: 'h',
      render: (_, r) => <Share value={r.healthRecordShare} />,
    },
    {
      title: t('elders.completeness.familyDoctor'),
      key: 'd',
      render: (_, r) => <Share value={r.familyDoctorShare} />,
    },
    {
      title: t('elders.completeness.agreement'),
      key: 'a',
      render: (_, r) => <Share value={r.agreementShare} />,
    },
  ];

  const total = stats.data?.total;
  return (
    <div data-testid="completeness">
      <TreeSelect
        allowClear
        {...orgTreeSelectProps}
        placeholder={t('elders.completeness.pickOrg')}
        treeData={geo.options}
        value={orgId}
        onChange={(v) => setOrgId(v ?? undefined)}
        style={{ width: phone ? '100%' : 260, marginBottom: 12 }}
      />
      {stats.isError && <LoadError inline {...retryOf(stats)} />}
      {total && (
        <Typography.Paragraph>
          {t('elders.completeness.summary', {
            org: stats.data?.org?.name ?? t('elders.completeness.allScope'),
            count: total.elders,
            health: Math.round(total.healthRecordShare * 100),
            doctor: Math.round(total.familyDoctorShare * 100),
            agreement: Math.round(total.agreementShare * 100),
          })}
        </Typography.Paragraph>
      )}
      <Table<Row>
        rowKey={(r) => r.org.id}
        size="small"
        loading={stats.isFetching}
        columns={columns}
        dataSource={stats.data?.rows}
        pagination={false}
        scroll={phone ? { x: 560 } : undefined}
      />
    </div>
  );
}
