import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Grid, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { useCurrentUser } from '../../lib/auth.ts';
import { ElderCarePanel } from '../care/elder-care-panel.tsx';
import { ElderIncidentsPanel } from '../incidents/elder-incidents-panel.tsx';
import { AssessmentPanel } from './assessment-panel.tsx';
import { CirclePanel } from './circle-panel.tsx';
import { DevicesPanel } from './devices-panel.tsx';
import { ElderFormDrawer } from './elder-form.tsx';
import { LevelTag, StatusTag } from './elder-tags.tsx';
import { ageBand, useElder } from './elders-api.ts';
import { editorRoles } from './elders-page.tsx';
import { HealthPanel } from './health-panel.tsx';
import { RevealButton } from './reveal-button.tsx';

const healthEditors = ['manager', 'coordinator', 'doctor'];
/** who hands out the 长辈版 link and registers one-key devices */
const deviceEditors = ['admin', 'manager', 'coordinator'];
/** who pauses and resumes the elder's care duties and sets the daily deadline */
const careCoordinators = ['admin', 'manager', 'coordinator'];
/** the incident console's roles read the elder's incident history */
const incidentReaders = ['admin', 'manager', 'coordinator', 'dispatcher'];
const flagKeys = ['hearingImpaired', 'visionImpaired', 'mobilityImpaired', 'cognitionImpaired'] as const;

/** One elder: profile, 关爱圈, health ledger and ability assessments. */
export function ElderPage() {
  const { t } = useTranslation();
  const { id: idText } = useParams();
  const id = Number(idText);
  const me = useCurrentUser();
  const navigate = useNavigate();
  const phone = !Grid.useBreakpoint().md;
  const elder = useElder(id);
  const [editing, setEditing] = useState(false);
  // clear values revealed on this page, for this elder only
  const [revealed, setRevealed] = useState<{ id: number; idNumber?: string; phones?: string[] }>({ id });
  const clearId = revealed.id === id ? (revealed.idNumber ?? null) : null;
  const clearPhones = revealed.id === id ? (revealed.phones ?? null) : null;
  const setClearId = (v: string | null) =>
    setRevealed({ ...(revealed.id === id ? revealed : {}), id, idNumber: v ?? undefined });
  const setClearPhones = (v: string[]) =>
    setRevealed({ ...(revealed.id === id ? revealed : {}), id, phones: v });

  if (elder.isPending) return <Spin />;
  if (elder.isError) return <LoadError inline {...retryOf(elder)} />;
  const e = elder.data;
  const canEdit = editorRoles.includes(me.role);
  const canRevealId = editorRoles.includes(me.role);
  const band = ageBand(e.age);
  // demo and imported addresses often hold the building and room already: show each part once
  const place = [e.address, e.building, e.unit, e.room]
    .filter((v, k, all) => v && (k === 0 || !all[0]?.includes(v)))
    .join(' ');

  const profile = (
    <Descriptions
      bordered
      size="small"
      layout={phone ? 'vertical' : 'horizontal'}
      column={phone ? 1 : 2}
      data-testid="elder-profile"
      items={[
        { key: 'gender', label: t('elders.field.gender'), children: t(`elders.gender.${e.gender}`) },
        {
          key: 'age',
          label: t('elders.field.birthDate'),
          children: (
            <Space size={4} wrap>
              {e.birthDate}
              <span>{t('elders.ageYears', { age: e.age })}</span>
              {band && (
                <Tag color="orange" data-testid="age-band">
                  {t(`elders.ageBand.${band}`)}
                </Tag>
              )}
            </Space>
          ),
        },
        {
          key: 'id',
          label: t('elders.field.idNumber'),
          children: (
            <Space size={4} wrap>
              <span data-testid="elder-id-number" style={{ wordBreak: 'break-all' }}>
                {clearId ?? e.idNumber}
              </span>
              {canRevealId && !clearId && (
                <RevealButton
                  elderId={e.id}
                  field="idNumber"
                  onRevealed={(r) => setClearId(r.idNumber ?? null)}
                />
              )}
            </Space>
          ),
        },
        {
          key: 'phones',
          label: t('elders.field.phones'),
          children: (
            <Space size={4} wrap>
              <span data-testid="elder-phones">{(clearPhones ?? e.phones).join('、') || '-'}</span>
              {e.phones.length > 0 && !clearPhones && (
                <RevealButton
                  elderId={e.id}
                  field="phones"
                  onRevealed={(r) => setClearPhones(r.phones ?? [])}
                />
              )}
            </Space>
          ),
        },
        { key: 'org', label: t('elders.field.org'), children: e.org?.name ?? '-' },
        { key: 'aff', label: t('elders.field.affiliation'), children: e.affiliation?.name ?? '-' },
        { key: 'addr', label: t('elders.field.address'), children: place || '-' },
        {
          key: 'cat',
          label: t('elders.field.categories'),
          children: e.categories.map((c) => <Tag key={c}>{c}</Tag>),
        },
        { key: 'living', label: t('elders.field.livingSituation'), children: e.livingSituation ?? '-' },
        {
          key: 'diff',
          label: t('elders.field.difficultyGroups'),
          children: e.difficultyGroups.map((c) => <Tag key={c}>{c}</Tag>),
        },
        {
          key: 'flags',
          label: t('elders.field.flags'),
          children: flagKeys
            .filter((f) => e[f])
            .map((f) => (
              <Tag key={f} color="purple">
                {t(`elders.flag.${f}`)}
              </Tag>
            )),
        },
        {
          key: 'tags',
          label: t('elders.field.tags'),
          children: e.tags.map((c) => (
            <Tag key={c} color={c === '重点关注' ? 'red' : 'blue'}>
              {c}
            </Tag>
          )),
        },
        {
          key: 'status',
          label: t('elders.field.status'),
          children: (
            <Space size={4} wrap>
              <StatusTag status={e.status} />
              {e.statusSince && <span>{t('elders.statusSince', { date: e.statusSince })}</span>}
              {e.statusReason && <Typography.Text type="secondary">{e.statusReason}</Typography.Text>}
            </Space>
          ),
        },
        {
          key: 'level',
          label: t('elders.field.abilityLevel'),
          children: e.healthVisible ? (
            <Space size={4}>
              <LevelTag level={e.abilityLevel} />
              {e.abilityAssessedOn && <span>{e.abilityAssessedOn}</span>}
            </Space>
          ) : (
            t('elders.masked')
          ),
        },
        {
          key: 'doctor',
          label: t('elders.field.familyDoctor'),
          children: e.familyDoctor ? e.familyDoctor.name : t('elders.noFamilyDoctor'),
        },
        {
          key: 'agreement',
          label: t('elders.field.agreementSignedAt'),
          children: e.agreementSignedAt ?? '-',
        },
        ...(e.survivorOf
          ? [
              {
                key: 'survivor',
                label: t('elders.field.survivorOf'),
                children: (
                  <Button type="link" size="small" onClick={() => navigate(`/elders/${e.survivorOf}`)}>
                    #{e.survivorOf}
                  </Button>
                ),
              },
            ]
          : []),
        { key: 'note', label: t('elders.field.note'), children: e.note ?? '-' },
      ]}
    />
  );

  const tabs = [
    { key: 'profile', label: t('elders.page.profile'), children: profile },
    {
      key: 'circle',
      label: t('elders.page.circle'),
      children: (
        <CirclePanel elderId={e.id} canEdit={canEdit} showLadder={incidentReaders.includes(me.role)} />
      ),
    },
  ];
  if (e.healthVisible) {
    const canEditHealth = healthEditors.includes(me.role);
    tabs.push(
      {
        key: 'health',
        label: t('elders.page.health'),
        children: <HealthPanel elderId={e.id} canEdit={canEditHealth} />,
      },
      {
        key: 'assessments',
        label: t('elders.page.assessments'),
        children: <AssessmentPanel elderId={e.id} canEdit={canEditHealth} />,
      },
    );
  }
  if (careCoordinators.includes(me.role))
    tabs.push({
      key: 'care',
      label: t('care.elderDuties.tab'),
      children: <ElderCarePanel elderId={e.id} />,
    });
  if (incidentReaders.includes(me.role))
    tabs.push({
      key: 'incidents',
      label: t('incidents.history.elderTab'),
      children: <ElderIncidentsPanel elderId={e.id} />,
    });
  if (deviceEditors.includes(me.role))
    tabs.push({
      key: 'devices',
      label: t('elders.page.devices'),
      children: <DevicesPanel elderId={e.id} />,
    });

  return (
    <Card
      styles={phone ? { body: { padding: 12 } } : undefined}
      title={
        <Space size={8} wrap>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            aria-label={t('elders.page.back')}
            onClick={() => navigate('/elders')}
          />
          <span data-testid="elder-name">{e.name}</span>
          <StatusTag status={e.status} />
          {band && <Tag color="orange">{band}</Tag>}
        </Space>
      }
      extra={
        canEdit && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="elder-edit">
            {phone ? undefined : t('common.edit')}
          </Button>
        )
      }
    >
      {(e.warnings ?? []).map((w) => (
        <Alert key={w} type="warning" showIcon title={w} style={{ marginBottom: 8 }} />
      ))}
      <Tabs items={tabs} />
      {canEdit && <ElderFormDrawer open={editing} elder={e} onClose={() => setEditing(false)} />}
    </Card>
  );
}
