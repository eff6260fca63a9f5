import { Card, DatePicker, Form, Input, Select, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LedgerCard } from '../../components/ledger-card.tsx';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { useCurrentUser } from '../../lib/auth.ts';
import { type Health, useDoctors, useHealth } from './elders-api.ts';
import { AddForm, CloseTodayButton, DeleteAction, useSubAction, type Values } from './health-forms.tsx';

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

function cardInitial(h: Health | undefined): Values | undefined {
  if (!h) return undefined;
  const c = h.card;
  return {
    greenCardNo: c.greenCardNo ?? '',
    greenCardHospital: c.greenCardHospital ?? '',
    greenCardIssuedOn: c.greenCardIssuedOn ? dayjs(c.greenCardIssuedOn) : null,
    sickBedProvider: c.sickBedProvider ?? '',
    sickBedFrom: c.sickBedFrom ? dayjs(c.sickBedFrom) : null,
    sickBedUntil: c.sickBedUntil ? dayjs(c.sickBedUntil) : null,
    sickBedNote: c.sickBedNote ?? '',
    medicationNotes: c.medicationNotes ?? '',
  };
}

/** 健康档案: conditions, hospital stays, family-doctor contracts, medications, green card and sick-bed. */
export function HealthPanel({ elderId, canEdit }: { elderId: number; canEdit: boolean }) {
  const { t } = useTranslation();
  const health = useHealth(elderId, true);
  // doctor accounts are listed for the staff who keep the registry (a doctor has no accounts page)
  const me = useCurrentUser();
  const doctors = useDoctors(canEdit && me.role !== 'doctor');
  const act = useSubAction(elderId);
  const [initialCard, setInitialCard] = useState<Values | undefined>();
  useEffect(() => setInitialCard(cardInitial(health.data)), [health.data]);
  const h = health.data;

  if (health.isError) return <LoadError inline {...retryOf(health)} />;
  const small = { style: { marginBottom: 12 }, size: 'small' as const };
  const ledger = { loading: health.isPending, emptyText: t('elders.health.none') };
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

  return (
    <div data-testid="health-panel">
      <LedgerCard
        title={t('elders.health.conditions')}
        {...ledger}
        items={h?.conditions}
        actions={(c) =>
          canEdit
            ? [
                <DeleteAction
                  key="d"
                  onConfirm={() => act.mutate({ method: 'DELETE', path: `/conditions/${c.id}` })}
                />,
              ]
            : undefined
        }
        row={(c) => (
          <>
            <Typography.Text strong>{c.name}</Typography.Text>
            {c.diagnosedOn && <Typography.Text type="secondary">{c.diagnosedOn}</Typography.Text>}
            {c.note && <Typography.Text type="secondary">{c.note}</Typography.Text>}
          </>
        )}
        addForm={
          canEdit && (
            <AddForm
              elderId={elderId}
              path="/conditions"
              fields={['name', 'diagnosedOn', 'note']}
              testId="condition-form"
              toBody={(v) => ({ name: v.name, diagnosedOn: day(v.diagnosedOn as Dayjs), note: text(v.note) })}
            >
              <Form.Item name="name" label={t('elders.health.conditionName')} rules={[{ required: true }]}>
                <Input maxLength={50} style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name="diagnosedOn" label={t('elders.health.diagnosedOn')}>
                <DatePicker />
              </Form.Item>
            </AddForm>
          )
        }
      />

      <LedgerCard
        title={t('elders.health.stays')}
        {...ledger}
        items={h?.hospitalStays}
        actions={(s) =>
          canEdit && !s.dischargedOn
            ? [
                <CloseTodayButton
                  key="discharge"
                  elderId={elderId}
                  path={`/hospital-stays/${s.id}/discharge`}
                  body={(today) => ({ dischargedOn: today })}
                  label={t('elders.health.dischargeToday')}
                  confirm={t('elders.health.dischargeConfirm', { hospital: s.hospital })}
                  testId={`stay-discharge-${s.id}`}
                />,
              ]
            : undefined
        }
        row={(s) => (
          <>
            <Typography.Text strong>{s.hospital}</Typography.Text>
            {s.ward && <span>{s.ward}</span>}
            <span>
              {s.admittedOn} → {s.dischargedOn ?? <Tag color="orange">{t('elders.health.inHospital')}</Tag>}
            </span>
            {s.reason && <Typography.Text type="secondary">{s.reason}</Typography.Text>}
          </>
        )}
        addForm={
          canEdit && (
            <AddForm
              elderId={elderId}
              path="/hospital-stays"
              fields={['hospital', 'ward', 'reason', 'admittedOn', 'dischargedOn']}
              testId="stay-form"
              toBody={(v) => ({
                hospital: v.hospital,
                ward: text(v.ward),
                reason: text(v.reason),
                admittedOn: day(v.admittedOn as Dayjs),
                dischargedOn: day(v.dischargedOn as Dayjs),
              })}
            >
              <Form.Item name="hospital" label={t('elders.health.hospital')} rules={[{ required: true }]}>
                <Input maxLength={100} style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name="reason" label={t('elders.health.reason')}>
                <Input maxLength={200} style={{ width: 140 }} />
              </Form.Item>
              <Form.Item name="admittedOn" label={t('elders.health.admittedOn')} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item name="dischargedOn" label={t('elders.health.dischargedOn')}>
                <DatePicker />
              </Form.Item>
            </AddForm>
          )
        }
      />

      <LedgerCard
        title={t('elders.health.contracts')}
        {...ledger}
        items={h?.doctorContracts}
        actions={(c) =>
          canEdit && !c.endDate
            ? [
                <CloseTodayButton
                  key="end"
                  elderId={elderId}
                  path={`/doctor-contracts/${c.id}/end`}
                  body={(today) => ({ endDate: today })}
                  label={t('elders.health.endToday')}
                  confirm={t('elders.health.endConfirm', { doctor: c.doctor.name })}
                  testId={`contract-end-${c.id}`}
                />,
              ]
            : undefined
        }
        row={(c) => (
          <>
            <Typography.Text strong>{c.doctor.name}</Typography.Text>
            <span>
              {c.startDate} → {c.endDate ?? t('elders.health.running')}
            </span>
          </>
        )}
        addForm={
          canEdit && (
            <AddForm
              elderId={elderId}
              path="/doctor-contracts"
              fields={['doctorId', 'startDate', 'endDate']}
              testId="contract-form"
              toBody={(v) => ({
                doctorId: v.doctorId,
                startDate: day(v.startDate as Dayjs),
                endDate: day(v.endDate as Dayjs),
              })}
            >
              <Form.Item name="doctorId" label={t('elders.health.doctor')} rules={[{ required: true }]}>
                <Select
                  style={{ width: 160 }}
                  loading={doctors.isPending}
                  options={(doctors.data ?? []).map((d) => ({ value: d.id, label: d.displayName }))}
                />
              </Form.Item>
              <Form.Item name="startDate" label={t('elders.health.startDate')} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item name="endDate" label={t('elders.health.endDate')}>
                <DatePicker />
              </Form.Item>
            </AddForm>
          )
        }
      />

      <LedgerCard
        title={t('elders.health.medications')}
        {...ledger}
        items={h?.medications}
        actions={(m) =>
          canEdit
            ? [
                <DeleteAction
                  key="d"
                  onConfirm={() => act.mutate({ method: 'DELETE', path: `/medications/${m.id}` })}
                />,
              ]
            : undefined
        }
        row={(m) => (
          <>
            <Typography.Text strong>{m.name}</Typography.Text>
            {m.dosage && <span>{m.dosage}</span>}
            {m.schedule && <Typography.Text type="secondary">{m.schedule}</Typography.Text>}
          </>
        )}
        addForm={
          canEdit && (
            <AddForm
              elderId={elderId}
              path="/medications"
              fields={['name', 'dosage', 'schedule']}
              testId="medication-form"
              toBody={(v) => ({ name: v.name, dosage: text(v.dosage), schedule: text(v.schedule) })}
            >
              <Form.Item name="name" label={t('elders.health.medicationName')} rules={[{ required: true }]}>
                <Input maxLength={100} style={{ width: 140 }} />
              </Form.Item>
              <Form.Item name="dosage" label={t('elders.health.dosage')}>
                <Input maxLength={50} style={{ width: 100 }} />
              </Form.Item>
              <Form.Item name="schedule" label={t('elders.health.schedule')}>
                <Input maxLength={50} style={{ width: 120 }} />
              </Form.Item>
            </AddForm>
          )
        }
      />

      <Card {...small} title={t('elders.health.card')} loading={health.isPending}>
        {canEdit ? (
          <AddForm
            elderId={elderId}
            path="/health-card"
            method="PUT"
            initial={initialCard}
            submitText={t('common.save')}
            fields={[
              'greenCardNo',
              'greenCardHospital',
              'greenCardIssuedOn',
              'sickBedProvider',
              'sickBedFrom',
              'sickBedUntil',
              'sickBedNote',
              'medicationNotes',
            ]}
            testId="health-card-form"
            toBody={(v) => ({
              greenCardNo: text(v.greenCardNo),
              greenCardHospital: text(v.greenCardHospital),
              greenCardIssuedOn: day(v.greenCardIssuedOn as Dayjs),
              sickBedProvider: text(v.sickBedProvider),
              sickBedFrom: day(v.sickBedFrom as Dayjs),
              sickBedUntil: day(v.sickBedUntil as Dayjs),
              sickBedNote: text(v.sickBedNote),
              medicationNotes: text(v.medicationNotes),
            })}
          >
            <Form.Item name="greenCardNo" label={t('elders.health.greenCardNo')}>
              <Input maxLength={50} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="greenCardHospital" label={t('elders.health.greenCardHospital')}>
              <Input maxLength={100} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="greenCardIssuedOn" label={t('elders.health.greenCardIssuedOn')}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="sickBedProvider" label={t('elders.health.sickBedProvider')}>
              <Input maxLength={100} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="sickBedFrom" label={t('elders.health.sickBedFrom')}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="sickBedUntil" label={t('elders.health.sickBedUntil')}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="medicationNotes" label={t('elders.health.medicationNotes')}>
              <Input.TextArea rows={1} maxLength={2000} style={{ width: 260 }} />
            </Form.Item>
          </AddForm>
        ) : (
          h && (
            <Space orientation="vertical" size={2}>
              <span>
                {t('elders.health.greenCardNo')}：{h.card.greenCardNo ?? '-'} {h.card.greenCardHospital ?? ''}
              </span>
              <span>
                {t('elders.health.sickBedProvider')}：{h.card.sickBedProvider ?? '-'}{' '}
                {h.card.sickBedFrom ?? ''}
                {h.card.sickBedUntil ? ` → ${h.card.sickBedUntil}` : ''}
              </span>
              <span>
                {t('elders.health.medicationNotes')}：{h.card.medicationNotes ?? '-'}
              </span>
            </Space>
          )
        )}
      </Card>
    </div>
  );
}
