import { App, Button, Collapse, Drawer, Form, Input, InputNumber, Radio, Select, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type ContactOutcome,
  checkAreas,
  concernPresets,
  contactChannels,
  contactOutcomes,
  eightPoints,
  needPresets,
  vitalSignsSchema,
} from '../../../shared/care.ts';
import { useCurrentUser } from '../../lib/auth.ts';
import { CircleCall } from './circle-call.tsx';
import { type ContactBody, recordContact } from './outbox.ts';
import type { Channel, WorklistItem } from './types.ts';

type CheckArea = (typeof checkAreas)[number];
type EightPoint = (typeof eightPoints)[number];

interface VisitForm {
  channel: Channel;
  outcome: ContactOutcome;
  checks: Partial<Record<CheckArea, 'ok' | 'concern'>>;
  checkNotes: Partial<Record<CheckArea, string>>;
  eight: Partial<Record<EightPoint, string>>;
  needs: string[];
  concern?: string;
  vitals?: {
    systolic?: number | null;
    diastolic?: number | null;
    glucose?: number | null;
    weight?: number | null;
  };
  durationMin?: number | null;
  note?: string;
}

const vitalFields = ['systolic', 'diastolic', 'glucose', 'weight'] as const;
/** who records vital signs with a visit (the server's health-ledger writers) */
const vitalRoles = ['doctor', 'coordinator', 'manager'];

interface Props {
  target: { item: WorklistItem; channel: Channel; outcome?: ContactOutcome } | null;
  onClose: () => void;
  onSaved: (result: 'saved' | 'queued') => void;
}

/** The full visit record: channel, outcome, the five check areas, 八清楚, needs, duration and a note. */
export function VisitFormDrawer({ target, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<VisitForm>();
  const [busy, setBusy] = useState(false);
  const me = useCurrentUser();
  const outcome = Form.useWatch('outcome', form);
  const needs = Form.useWatch('needs', form) ?? [];
  const showVitals =
    vitalRoles.includes(me.user.role) && (outcome === 'reached_ok' || outcome === 'reached_concern');

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    form.setFieldsValue({
      channel: target.channel,
      outcome: target.outcome,
      checks: {},
      checkNotes: {},
      eight: {},
      needs: [],
    });
  }, [target, form]);

  async function submit(v: VisitForm) {
    if (!target) return;
    const checks: NonNullable<ContactBody['checks']> = {};
    for (const a of checkAreas) {
      const status = v.checks?.[a];
      const note = v.checkNotes?.[a]?.trim();
      if (status) checks[a] = note ? { status, note } : { status };
    }
    const eight: Partial<Record<EightPoint, string>> = {};
    for (const p of eightPoints) {
      const s = v.eight?.[p]?.trim();
      if (s) eight[p] = s;
    }
    let vitals: ContactBody['vitals'];
    const given = vitalFields.filter((f) => v.vitals?.[f] != null);
    if (showVitals && given.length > 0) {
      const raw = Object.fromEntries(given.map((f) => [f, v.vitals?.[f]]));
      const parsed = vitalSignsSchema.safeParse(raw);
      if (!parsed.success) {
        form.setFields(
          parsed.error.issues.map((i) => ({
            name: [
              'vitals',
              (vitalFields as readonly string[]).includes(String(i.path[0]))
                ? (i.path[0] as (typeof vitalFields)[number])
                : 'systolic',
            ] as ['vitals', (typeof vitalFields)[number]],
            errors: [i.message],
          })),
        );
        return;
      }
      vitals = parsed.data;
    }
    setBusy(true);
    try {
      const result = await recordContact(
        {
          elderId: target.item.elderId,
          dutyId: target.item.id,
          channel: v.channel,
          outcome: v.outcome,
          checks: Object.keys(checks).length ? checks : undefined,
          eightPoints: Object.keys(eight).length ? eight : undefined,
          needs: (v.needs ?? []).map((s) => s.trim()).filter(Boolean),
          concern: v.outcome === 'reached_concern' ? v.concern?.trim() || undefined : undefined,
          vitals,
          durationMin: v.durationMin ?? undefined,
          note: v.note?.trim() || undefined,
        },
        { elderName: target.item.elderName, dutyName: target.item.templateName },
      );
      void message.success(result === 'saved' ? t('worklist.quick.saved') : t('worklist.quick.queued'));
      onSaved(result);
    } catch (err) {
      void message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Drawer
      placement="bottom"
      size="92vh"
      open={target != null}
      onClose={onClose}
      title={target ? t('worklist.form.title', { name: target.item.elderName }) : ''}
      destroyOnHidden
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('worklist.form.cancel')}</Button>
          <Button
            type="primary"
            size="large"
            loading={busy}
            onClick={() => form.submit()}
            data-testid="visit-submit"
          >
            {t('worklist.form.submit')}
          </Button>
        </Space>
      }
    >
      <Form<VisitForm>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        data-testid="visit-form"
      >
        <Form.Item name="channel" label={t('worklist.form.channel')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={contactChannels.map((c) => ({ value: c, label: t(`worklist.channels.${c}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="outcome"
          label={t('worklist.form.outcome')}
          rules={[{ required: true, message: t('worklist.form.outcomeRequired') }]}
        >
          <Radio.Group style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
            {contactOutcomes.map((o) => (
              <Radio.Button key={o} value={o} data-testid={`visit-outcome-${o}`}>
                {t(`worklist.outcomes.${o}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {outcome === 'reached_concern' && (
          <Form.Item
            name="concern"
            label={t('worklist.form.concern')}
            rules={[{ required: true, whitespace: true, message: t('worklist.form.concernRequired') }]}
            extra={
              <div style={{ marginTop: 6, display: 'flex', flexWrap: 'wrap', gap: 6 }}>
                {concernPresets.map((c) => (
                  <Tag.CheckableTag
                    key={c}
                    checked={form.getFieldValue('concern') === c}
                    onChange={() => form.setFieldsValue({ concern: c })}
                    style={{ fontSize: 14, padding: '4px 10px', border: '1px solid #d9d9d9' }}
                    data-testid={`concern-preset-${c}`}
                  >
                    {c}
                  </Tag.CheckableTag>
                ))}
              </div>
            }
          >
            <Input
              maxLength={500}
              placeholder={t('worklist.form.concernPlaceholder')}
              data-testid="concern-input"
            />
          </Form.Item>
        )}
        {showVitals && (
          <fieldset data-testid="vitals" style={{ border: 0, padding: 0, margin: '0 0 8px' }}>
            <legend style={{ fontSize: 16, fontWeight: 600, marginBottom: 8 }}>
              {t('worklist.vitals.title')}
            </legend>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0 12px' }}>
              {vitalFields.map((f) => (
                <Form.Item key={f} name={['vitals', f]} label={t(`worklist.vitals.${f}`)}>
                  <InputNumber
                    id={`vitals-${f}`}
                    style={{ width: 140 }}
                    inputMode="decimal"
                    step={f === 'glucose' || f === 'weight' ? 0.1 : 1}
                    suffix={t(`worklist.vitals.unit.${f}`)}
                  />
                </Form.Item>
              ))}
            </div>
          </fieldset>
        )}
        {outcome && (outcome === 'reached_concern' || outcome.startsWith('not_reached')) && (
          <div style={{ marginBottom: 16 }}>
            <CircleCall dutyId={target?.item.id ?? 0} />
          </div>
        )}
        <Collapse
          defaultActiveKey={['checks']}
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'checks',
              label: t('worklist.form.checks'),
              children: checkAreas.map((a) => (
                <div key={a} style={{ marginBottom: 12 }} data-testid={`check-${a}`}>
                  <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
                    <span style={{ minWidth: 72 }}>{t(`worklist.checkAreas.${a}`)}</span>
                    <Form.Item name={['checks', a]} noStyle>
                      <Radio.Group
                        optionType="button"
                        options={[
                          { value: 'ok', label: t('worklist.form.ok') },
                          { value: 'concern', label: t('worklist.form.concernShort') },
                        ]}
                      />
                    </Form.Item>
                  </div>
                  <Form.Item name={['checkNotes', a]} noStyle>
                    <Input
                      size="small"
                      style={{ marginTop: 4 }}
                      maxLength={500}
                      placeholder={t('worklist.form.checkNote')}
                    />
                  </Form.Item>
                </div>
              )),
            },
            {
              key: 'eight',
              label: t('worklist.form.eight'),
              children: eightPoints.map((p) => (
                <Form.Item key={p} name={['eight', p]} label={t(`worklist.eightPoints.${p}`)}>
                  <Input placeholder={t('worklist.form.eightHint')} maxLength={500} />
                </Form.Item>
              )),
            },
          ]}
        />
        <Form.Item
          name="needs"
          label={t('worklist.form.needs')}
          extra={
            <div style={{ marginTop: 6, display: 'flex', flexWrap: 'wrap', gap: 6 }}>
              {needPresets.map((n) => (
                <Tag.CheckableTag
                  key={n}
                  checked={needs.includes(n)}
                  onChange={(on) =>
                    form.setFieldsValue({ needs: on ? [...needs, n] : needs.filter((x) => x !== n) })
                  }
                  style={{ fontSize: 14, padding: '4px 10px', border: '1px solid #d9d9d9' }}
                  data-testid={`need-preset-${n}`}
                >
                  {n}
                </Tag.CheckableTag>
              ))}
            </div>
          }
        >
          <Select mode="tags" open={false} placeholder={t('worklist.form.needsPlaceholder')} />
        </Form.Item>
        <Form.Item name="durationMin" label={t('worklist.form.duration')}>
          <InputNumber min={0} max={1440} style={{ width: 140 }} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="note" label={t('worklist.form.note')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
