import { DownloadOutlined } from '@ant-design/icons';
import {
  Button,
  DatePicker,
  Grid,
  List,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { formatTime } from '../../lib/i18n.ts';
import { useContactLedger, useElderSearch, useLoad } from './care-api.ts';
import type { Contact } from './types.ts';

const PAGE = 50;

/** 联系台账: contacts by elder, by carer, by month; the same filters export to the .xlsx ledger form. */
export function LedgerTab({ orgId }: { orgId: number }) {
  const { t } = useTranslation();
  const phone = !Grid.useBreakpoint().md;
  const [carerId, setCarerId] = useState<number | undefined>();
  const [elderId, setElderId] = useState<number | undefined>();
  const [elderQ, setElderQ] = useState('');
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [page, setPage] = useState(1);
  const load = useLoad(orgId);
  const elders = useElderSearch(elderQ);
  const query = { orgId, carerId, elderId, month: month?.format('YYYY-MM') };
  const list = useContactLedger(query, PAGE, (page - 1) * PAGE);
  const qs = new URLSearchParams(
    Object.entries(query).flatMap(([k, v]) => (v == null ? [] : [[k, String(v)]])),
  ).toString();

  const outcome = (o: string) => (
    <Tag
      color={
        o === 'reached_ok'
          ? 'green'
          : o === 'reached_concern'
            ? 'orange'
            : o.startsWith('not_')
              ? 'red'
              : undefined
      }
    >
      {t(`worklist.outcomes.${o}`, { defaultValue: o })}
    </Tag>
  );
  const columns: TableColumnsType<Contact> = [
    { title: t('care.ledger.at'), dataIndex: 'contactedAt', width: 150, render: (v) => formatTime(v) },
    { title: t('care.elder'), dataIndex: 'elderName', width: 100 },
    { title: t('care.carer'), dataIndex: 'carerName', width: 100 },
    {
      title: t('care.ledger.channel'),
      dataIndex: 'channel',
      width: 70,
      render: (v: string) => t(`worklist.channels.${v}`, { defaultValue: v }),
    },
    {
      title: t('care.ledger.outcome'),
      dataIndex: 'outcome',
      width: 150,
      // 有异常 with what the concern was
      render: (v: string, c: Contact) => (
        <>
          {outcome(v)}
          {c.concern ? ` ${c.concern}` : ''}
        </>
      ),
    },
    { title: t('care.ledger.needs'), dataIndex: 'needs', render: (v: string[]) => v.join('；') },
    { title: t('care.ledger.duration'), dataIndex: 'durationMin', width: 70 },
    { title: t('care.ledger.note'), dataIndex: 'note', ellipsis: true },
  ];
  const items = list.data?.items;
  const more = (items?.length ?? 0) === PAGE;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          showSearch
          filterOption={false}
          onSearch={setElderQ}
          value={elderId}
          onChange={(v) => {
            setElderId(v);
            setPage(1);
          }}
          placeholder={t('care.ledger.elder')}
          style={{ width: 180 }}
          options={elders.data?.items.map((e) => ({ value: e.id, label: `${e.name}（${e.age}）` }))}
          notFoundContent={null}
          data-testid="ledger-elder"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          value={carerId}
          onChange={(v) => {
            setCarerId(v);
            setPage(1);
          }}
          placeholder={t('care.ledger.carer')}
          style={{ width: 180 }}
          options={load.data?.carers.map((c) => ({ value: c.carerId, label: c.name }))}
          data-testid="ledger-carer"
        />
        <DatePicker
          picker="month"
          value={month}
          onChange={(v) => {
            setMonth(v);
            setPage(1);
          }}
          placeholder={t('care.ledger.month')}
          data-testid="ledger-month"
        />
        <Button
          icon={<DownloadOutlined />}
          href={`/api/contacts/export?${qs}`}
          download
          data-testid="ledger-export"
        >
          {t('care.ledger.export')}
        </Button>
      </Space>
      {list.isError && <LoadError inline {...retryOf(list)} />}
      {phone ? (
        <List<Contact>
          data-testid="ledger-list"
          loading={list.isFetching}
          dataSource={items}
          rowKey="id"
          renderItem={(c) => (
            <List.Item>
              <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
                <Space size={6} wrap>
                  <Typography.Text strong>{c.elderName}</Typography.Text>
                  {outcome(c.outcome)}
                  {c.concern && <Typography.Text>{c.concern}</Typography.Text>}
                  <Typography.Text type="secondary">
                    {t(`worklist.channels.${c.channel}`, { defaultValue: c.channel })}
                  </Typography.Text>
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatTime(c.contactedAt)} · {c.carerName}
                  {c.needs.length > 0 ? ` · ${c.needs.join('；')}` : ''}
                </Typography.Text>
                {c.note && <Typography.Text style={{ fontSize: 12 }}>{c.note}</Typography.Text>}
              </Space>
            </List.Item>
          )}
        />
      ) : (
        <Table<Contact>
          data-testid="ledger-table"
          rowKey="id"
          size="small"
          loading={list.isFetching}
          dataSource={items}
          columns={columns}
          scroll={{ x: 1000 }}
          pagination={false}
        />
      )}
      <Space style={{ marginTop: 12 }}>
        <Button disabled={page === 1} onClick={() => setPage(page - 1)}>
          {t('care.ledger.prev')}
        </Button>
        <Typography.Text>{t('care.ledger.page', { page })}</Typography.Text>
        <Button disabled={!more} onClick={() => setPage(page + 1)}>
          {t('care.ledger.next')}
        </Button>
      </Space>
    </>
  );
}
