import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Grid,
  Popconfirm,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Steps,
  Table,
  type TableColumnsType,
  TreeSelect,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { fieldInfo, importFields } from '../../../shared/elders-import.ts';
import { errorText } from '../../lib/form-errors.ts';
import { currentLang } from '../../lib/i18n.ts';
import { orgTreeSelectProps, useOrgs } from '../../lib/orgs.ts';
import { useOrgTreeOptions } from './elder-filters.tsx';
import {
  apiPath,
  downloadErrorReport,
  eldersKey,
  type ImportArgs,
  type ImportReport,
  runImport,
} from './elders-api.ts';

type Problem = ImportReport['invalid'][number];
type Duplicate = ImportReport['duplicates'][number];
type Column = ImportReport['mapping'][number];
type Unknown = ImportReport['unknownCommunities'][number];
const placeKinds = ['community', 'grid'] as const;
const IGNORE = '';

/** 导入花名册: upload → dry run → fix the column mapping → dry run again → commit → result. */
export function ImportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const phone = !Grid.useBreakpoint().md;
  const zh = currentLang() === 'zh-CN';
  const geo = useOrgTreeOptions('geo', placeKinds);
  const [file, setFile] = useState<File | null>(null);
  const [orgId, setOrgId] = useState<number | undefined>();
  // the user's choices, by column letter; '' ignores a column
  const [mapping, setMapping] = useState<Record<string, string>>({});
  // the answer for each unknown community name: 'default', 'org:<id>' or 'new:<streetId>'
  const [communities, setCommunities] = useState<Record<string, string>>({});
  // every unknown name seen in this file (a name stays listed after it is answered)
  const [unknown, setUnknown] = useState<Unknown[]>([]);
  const geoOrgs = useOrgs('geo');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const args = (): ImportArgs => ({
    file: file!,
    orgId,
    mapping: Object.fromEntries(Object.entries(mapping).map(([k, v]) => [k, v === IGNORE ? null : v])),
    communities: Object.fromEntries(
      Object.entries(communities).map(([name, v]) => {
        const [kind, id] = v.split(':');
        return [name, kind === 'org' ? Number(id) : kind === 'new' ? { createUnder: Number(id) } : 'default'];
      }),
    ),
  });

  const dryRun = useMutation({
    mutationFn: () => runImport(args(), true),
    onSuccess: (r) => {
      setError(null);
      setReport(r);
      setUnknown((seen) => [
        ...seen,
        ...r.unknownCommunities.filter((u) => !seen.some((s) => s.name === u.name)),
      ]);
    },
    onError: (e) => setError(errorText(e)),
  });
  const commit = useMutation({
    mutationFn: () => runImport(args(), false),
    onSuccess: async (r) => {
      setError(null);
      setResult(r);
      await qc.invalidateQueries({ queryKey: eldersKey });
    },
    onError: (e) => setError(errorText(e)),
  });
  const errorsFile = useMutation({
    mutationFn: () => downloadErrorReport(args()),
    onError: (e) => setError(errorText(e)),
  });

  const step = result ? 2 : report ? 1 : 0;
  const fieldLabel = (f: string) =>
    zh ? fieldInfo[f as keyof typeof fieldInfo].zh : fieldInfo[f as keyof typeof fieldInfo].en;
  const fieldOptions = [
    { value: IGNORE, label: t('elders.import.ignore') },
    ...importFields.map((f) => ({ value: f, label: fieldLabel(f) })),
  ];

  const mappingColumns: TableColumnsType<Column> = [
    { title: t('elders.import.column'), dataIndex: 'column', width: 60 },
    { title: t('elders.import.header'), dataIndex: 'header', width: 140 },
    {
      title: t('elders.import.field'),
      key: 'field',
      render: (_, c) => (
        <Select
          value={mapping[c.column] ?? c.field ?? IGNORE}
          options={fieldOptions}
          showSearch={{ optionFilterProp: 'label' }}
          onChange={(v) => setMapping({ ...mapping, [c.column]: v })}
          style={{ width: phone ? 130 : 180 }}
          data-testid={`map-${c.column}`}
        />
      ),
    },
  ];
  const rowCell = (row: number, serialNo?: string) =>
    serialNo ? t('elders.import.rowWithSerial', { row, serialNo }) : String(row);
  const problemColumns: TableColumnsType<Problem> = [
    { title: t('elders.import.row'), key: 'row', width: 120, render: (_, p) => rowCell(p.row, p.serialNo) },
    { title: t('elders.import.problemField'), dataIndex: 'field', width: 110 },
    { title: t('elders.import.reason'), dataIndex: 'message' },
  ];
  const duplicateColumns: TableColumnsType<Duplicate> = [
    { title: t('elders.import.row'), key: 'row', width: 120, render: (_, d) => rowCell(d.row, d.serialNo) },
    {
      title: t('elders.import.ofRow'),
      key: 'of',
      width: 120,
      render: (_, d) => rowCell(d.ofRow, d.ofSerialNo),
    },
    { title: t('elders.import.reason'), dataIndex: 'message' },
  ];

  const orgList = geoOrgs.data ?? [];
  const communityOptions = [
    { value: 'default', label: t('elders.import.communityDefault'), disabled: !orgId },
    {
      label: t('elders.import.communityExisting'),
      options: orgList
        .filter((o) => o.kind === 'community' || o.kind === 'grid')
        .map((o) => ({ value: `org:${o.id}`, label: o.displayName })),
    },
    {
      label: t('elders.import.communityCreate'),
      options: orgList
        .filter((o) => o.kind === 'street')
        .map((o) => ({ value: `new:${o.id}`, label: t('elders.import.createUnder', { street: o.name }) })),
    },
  ];
  const unknownColumns: TableColumnsType<Unknown> = [
    { title: t('elders.import.communityName'), dataIndex: 'name', width: 140 },
    {
      title: t('elders.import.communityRows'),
      key: 'rows',
      width: 150,
      render: (_, u) =>
        t('elders.import.communityRowsText', {
          count: u.rows,
          rows: `${u.firstRows.join('、')}${u.rows > u.firstRows.length ? '…' : ''}`,
        }),
    },
    {
      title: t('elders.import.communityChoice'),
      key: 'choice',
      render: (_, u, i) => (
        <Select
          value={communities[u.name]}
          placeholder={t('elders.import.communityPick')}
          options={communityOptions}
          showSearch={{ optionFilterProp: 'label' }}
          onChange={(v) => setCommunities({ ...communities, [u.name]: v })}
          style={{ width: phone ? 170 : 260 }}
          data-testid={`community-${i}`}
        />
      ),
    },
  ];
  const stillUnknown = report?.unknownCommunities.length ?? 0;
  const communityCard = report && unknown.length > 0 && (
    <div data-testid="import-communities" style={{ marginBottom: 12 }}>
      <Typography.Title level={5}>{t('elders.import.unknownTitle')}</Typography.Title>
      {stillUnknown > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          title={t('elders.import.unknownHint', { count: stillUnknown })}
        />
      )}
      <Table<Unknown>
        rowKey="name"
        size="small"
        columns={unknownColumns}
        dataSource={unknown}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={phone ? { x: 420 } : undefined}
      />
      {report.newCommunities.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="import-new-communities"
          title={t('elders.import.newCommunities', {
            list: report.newCommunities
              .map((n) =>
                t('elders.import.newCommunity', { name: n.name, street: n.streetName, count: n.rows }),
              )
              .join('；'),
          })}
        />
      )}
    </div>
  );

  const counts = (r: ImportReport, committed: boolean) => (
    <Row
      gutter={[12, 12]}
      style={{ marginBottom: 12 }}
      data-testid={committed ? 'import-result-counts' : 'import-counts'}
    >
      {(
        [
          ['total', r.total],
          ['valid', r.valid],
          [committed ? 'createdDone' : 'created', r.created],
          [committed ? 'updatedDone' : 'updated', r.updated],
          ['invalid', r.problemRows],
        ] as const
      ).map(([k, v]) => (
        <Col key={k} xs={12} sm={8} md={4}>
          <Card size="small">
            <Statistic title={t(`elders.import.count.${k}`)} value={v} data-testid={`count-${k}`} />
          </Card>
        </Col>
      ))}
    </Row>
  );

  const upload = (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('elders.import.intro')}{' '}
        <a href={apiPath('/elders/import/template')} data-testid="import-template">
          <DownloadOutlined /> {t('elders.import.template')}
        </a>
      </Typography.Paragraph>
      <div data-testid="import-upload">
        <Upload.Dragger
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setMapping({});
            setCommunities({});
            setUnknown([]);
            setReport(null);
            setResult(null);
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: 'roster', name: file.name, status: 'done' }] : []}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{t('elders.import.drop')}</p>
        </Upload.Dragger>
      </div>
      <Form layout="vertical">
        <Form.Item label={t('elders.import.defaultOrg')} extra={t('elders.import.defaultOrgHint')}>
          <TreeSelect
            allowClear
            {...orgTreeSelectProps}
            treeData={geo.options}
            value={orgId}
            onChange={(v) => setOrgId(v ?? undefined)}
            style={{ maxWidth: 360 }}
            data-testid="import-org"
          />
        </Form.Item>
      </Form>
      <Button
        type="primary"
        size="large"
        disabled={!file}
        loading={dryRun.isPending}
        onClick={() => dryRun.mutate()}
        data-testid="import-check"
      >
        {report ? t('elders.import.recheck') : t('elders.import.check')}
      </Button>
    </Space>
  );

  const review = report && (
    <div data-testid="import-review">
      <Typography.Title level={5}>
        {t('elders.import.mappingTitle', { row: report.headerRow })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('elders.import.mappingHint')}</Typography.Paragraph>
      <Table<Column>
        rowKey="column"
        size="small"
        columns={mappingColumns}
        dataSource={report.mapping}
        pagination={false}
        style={{ marginBottom: 12 }}
        data-testid="import-mapping"
      />
      {counts(report, false)}
      {communityCard}
      {report.invalid.length > 0 && (
        <>
          <Typography.Title level={5}>{t('elders.import.problems')}</Typography.Title>
          <Table<Problem>
            rowKey={(p) => `${p.row}-${p.field}-${p.message}`}
            size="small"
            columns={problemColumns}
            dataSource={report.invalid}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            style={{ marginBottom: 12 }}
            data-testid="import-problems"
          />
        </>
      )}
      {report.duplicates.length > 0 && (
        <>
          <Typography.Title level={5}>{t('elders.import.duplicates')}</Typography.Title>
          <Table<Duplicate>
            rowKey={(d) => `${d.row}-${d.ofRow}`}
            size="small"
            columns={duplicateColumns}
            dataSource={report.duplicates}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            style={{ marginBottom: 12 }}
            data-testid="import-duplicates"
          />
        </>
      )}
      {report.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('elders.import.warnings', { count: report.warnings.length })}
          description={report.warnings.map((w) => `${rowCell(w.row, w.serialNo)}：${w.message}`).join('；')}
        />
      )}
      <Space wrap>
        <Button loading={dryRun.isPending} onClick={() => dryRun.mutate()} data-testid="import-recheck">
          {t('elders.import.recheck')}
        </Button>
        {report.problemRows > 0 && (
          <Button
            icon={<DownloadOutlined />}
            loading={errorsFile.isPending}
            onClick={() => errorsFile.mutate()}
            data-testid="import-errors"
          >
            {t('elders.import.errorReport')}
          </Button>
        )}
        <Popconfirm
          title={t('elders.import.confirm', { count: report.valid })}
          onConfirm={() => commit.mutate()}
          okButtonProps={{ id: 'import-confirm-ok' }}
        >
          <Button
            type="primary"
            disabled={report.valid === 0}
            loading={commit.isPending}
            data-testid="import-commit"
          >
            {t('elders.import.commit', { count: report.valid })}
          </Button>
        </Popconfirm>
      </Space>
    </div>
  );

  return (
    <Card title={t('elders.import.title')} styles={phone ? { body: { padding: 12 } } : undefined}>
      <Steps
        current={step}
        size="small"
        style={{ marginBottom: 16 }}
        items={[
          { title: t('elders.import.step.upload') },
          { title: t('elders.import.step.check') },
          { title: t('elders.import.step.done') },
        ]}
      />
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="import-error" />
      )}
      {result ? (
        <Result
          status="success"
          title={t('elders.import.doneTitle', { created: result.created, updated: result.updated })}
          subTitle={
            result.problemRows > 0 ? t('elders.import.doneSkipped', { count: result.problemRows }) : undefined
          }
          extra={
            <Space wrap>
              <Button type="primary" onClick={() => navigate('/elders')} data-testid="import-to-list">
                {t('elders.import.toList')}
              </Button>
              <Button
                onClick={() => {
                  setFile(null);
                  setReport(null);
                  setResult(null);
                  setMapping({});
                  setCommunities({});
                  setUnknown([]);
                }}
              >
                {t('elders.import.again')}
              </Button>
            </Space>
          }
          data-testid="import-result"
        >
          {counts(result, true)}
        </Result>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {upload}
          {review}
        </Space>
      )}
    </Card>
  );
}
