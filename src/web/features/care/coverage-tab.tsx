import {
  Breadcrumb,
  Card,
  Col,
  Grid,
  List,
  Progress,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { coveragePeriods } from '../../../shared/care.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { TIME_ZONE } from '../../lib/i18n.ts';
import { useOrgs } from '../../lib/orgs.ts';
import { useCoverage } from './care-api.ts';
import { ShareBar } from './share-bar.tsx';

const pct = (v: number | null) => (v == null ? '—' : `${Math.round(v * 1000) / 10}%`);
const rate = (n: number, d: number) => (d ? n / d : null);
/** HH:mm in Shanghai, with the date when it is not today's */
const asOfText = (iso: string) => {
  const at = dayjs(iso).tz(TIME_ZONE);
  return at.isSame(dayjs().tz(TIME_ZONE), 'day') ? at.format('HH:mm') : at.format('MM-DD HH:mm');
};

/** 覆盖率: special-difficulty elders reached in the period and the on-time rate, drillable to grids. */
export function CoverageTab({ orgId, onOrg }: { orgId: number; onOrg: (id: number) => void }) {
  const { t } = useTranslation();
  const phone = !Grid.useBreakpoint().md;
  const [period, setPeriod] = useState(30);
  const orgs = useOrgs('geo');
  const cov = useCoverage(orgId, period);

  // the way back up: the current node's ancestors within the caller's scope
  const chain = useMemo(() => {
    const byId = new Map((orgs.data ?? []).map((o) => [o.id, o]));
    const out: { id: number; name: string }[] = [];
    let cur = byId.get(orgId);
    while (cur) {
      out.unshift({ id: cur.id, name: cur.name });
      cur = cur.parentId == null ? undefined : byId.get(cur.parentId);
    }
    return out;
  }, [orgs.data, orgId]);

  const d = cov.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="coverage">
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
        <Breadcrumb
          data-testid="coverage-crumbs"
          style={{ flex: 1, minWidth: 0 }}
          items={(chain.length ? chain : d ? [{ id: d.org.id, name: d.org.name }] : []).map((c, i, a) => ({
            key: c.id,
            title:
              i < a.length - 1 ? (
                <Typography.Link onClick={() => onOrg(c.id)} data-testid={`crumb-${c.id}`}>
                  {c.name}
                </Typography.Link>
              ) : (
                <Typography.Text strong data-testid="coverage-current">
                  {c.name}
                </Typography.Text>
              ),
          }))}
        />
        {d && (
          <Tooltip title={t(d.source === 'live' ? 'care.coverage.liveHint' : 'care.coverage.rollupHint')}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="coverage-as-of">
              {t('care.coverage.asOf', { time: asOfText(d.asOf) })}
            </Typography.Text>
          </Tooltip>
        )}
        <Segmented<number>
          value={period}
          onChange={setPeriod}
          options={coveragePeriods.map((p) => ({ value: p, label: t('care.coverage.days', { count: p }) }))}
        />
      </div>
      {cov.isError && <LoadError inline {...retryOf(cov)} />}
      {d && (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={24} md={12}>
              <Card size="small">
                <Statistic
                  title={t('care.coverage.share', { days: d.period })}
                  value={pct(d.totals.share)}
                  suffix={
                    <Typography.Text type="secondary" style={{ fontSize: 14 }}>
                      {t('care.coverage.visitedOf', {
                        visited: d.totals.specialVisited,
                        total: d.totals.specialTotal,
                      })}
                    </Typography.Text>
                  }
                />
                <Progress
                  percent={d.totals.share == null ? 0 : Math.round(d.totals.share * 100)}
                  status={d.totals.share != null && d.totals.share >= 1 ? 'success' : 'active'}
                  showInfo={false}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('care.coverage.target')}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={24} md={12}>
              <Card size="small">
                <Statistic
                  title={t('care.coverage.onTime')}
                  value={pct(d.totals.onTimeRate)}
                  suffix={
                    <Typography.Text type="secondary" style={{ fontSize: 14 }}>
                      {t('care.coverage.onTimeOf', { onTime: d.totals.onTime, total: d.totals.duties })}
                    </Typography.Text>
                  }
                />
                <Progress
                  percent={d.totals.onTimeRate == null ? 0 : Math.round(d.totals.onTimeRate * 100)}
                  showInfo={false}
                />
              </Card>
            </Col>
          </Row>
          {d.children.length > 0 && (
            <Card size="small" title={t('care.coverage.children')} extra={t('care.coverage.drillHint')}>
              {!phone && (
                <ShareBar
                  rows={d.children.map((c) => ({ id: c.orgId, name: c.name, share: c.share }))}
                  target={t('care.coverage.targetShort')}
                  onPick={onOrg}
                />
              )}
              <List
                data-testid="coverage-children"
                dataSource={d.children}
                rowKey="orgId"
                renderItem={(c) => (
                  <List.Item
                    onClick={() => onOrg(c.orgId)}
                    style={{ cursor: 'pointer', paddingInline: 4 }}
                    data-testid={`coverage-child-${c.orgId}`}
                    data-name={c.name}
                    extra={<Typography.Link>{t('care.coverage.drill')}</Typography.Link>}
                  >
                    <div style={{ flex: 1, minWidth: 0 }}>
                      <Space size={6} wrap>
                        <Typography.Text strong>{c.name}</Typography.Text>
                        <Tag>{t(`orgKind.${c.kind}`, { defaultValue: c.kind })}</Tag>
                      </Space>
                      <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', fontSize: 13 }}>
                        <span>
                          {t('care.coverage.shareShort')} <b>{pct(c.share)}</b>（{c.specialVisited}/
                          {c.specialTotal}）
                        </span>
                        <span>
                          {t('care.coverage.onTimeShort')} <b>{pct(c.onTimeRate)}</b>（{c.onTime}/{c.duties}）
                        </span>
                      </div>
                      <Progress
                        percent={c.share == null ? 0 : Math.round(c.share * 100)}
                        size="small"
                        showInfo={false}
                        strokeColor={c.share != null && c.share >= 1 ? '#52c41a' : undefined}
                      />
                    </div>
                  </List.Item>
                )}
              />
            </Card>
          )}
          <Row gutter={[12, 12]}>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('care.coverage.byDuty')}>
                <Table
                  size="small"
                  rowKey="templateKey"
                  pagination={false}
                  dataSource={d.byDuty}
                  columns={[
                    { title: t('care.duty'), dataIndex: 'name' },
                    { title: t('care.coverage.duties'), dataIndex: 'duties', width: 70 },
                    {
                      title: t('care.coverage.onTimeShort'),
                      key: 'r',
                      width: 90,
                      render: (_, r) => pct(rate(r.onTime, r.duties)),
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card
                size="small"
                title={t('care.coverage.byCarer')}
                extra={
                  d.carersTotal > d.byCarer.length
                    ? t('care.coverage.carersCut', { shown: d.byCarer.length, total: d.carersTotal })
                    : undefined
                }
              >
                <Table
                  size="small"
                  rowKey="carerId"
                  pagination={{ pageSize: 10, size: 'small', hideOnSinglePage: true }}
                  dataSource={[...d.byCarer].sort(
                    (a, b) => (rate(a.onTime, a.duties) ?? 1) - (rate(b.onTime, b.duties) ?? 1),
                  )}
                  columns={[
                    { title: t('care.carer'), dataIndex: 'name' },
                    { title: t('care.coverage.duties'), dataIndex: 'duties', width: 70 },
                    {
                      title: t('care.coverage.onTimeShort'),
                      key: 'r',
                      width: 90,
                      render: (_, r) => pct(rate(r.onTime, r.duties)),
                    },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </Space>
  );
}
