import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  type FormInstance,
  InputNumber,
  Select,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type IncidentKind, incidentKinds } from '../../../shared/incidents.ts';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { ApiError } from '../../lib/api.ts';
import { isCityAdmin, useCurrentUser } from '../../lib/auth.ts';
import { errorText } from '../../lib/form-errors.ts';
import { formatTime } from '../../lib/i18n.ts';
import { CityConfigNote } from '../layout/city-config-note.tsx';
import { type Ladder, type LadderBody, laddersKey, saveLadder, useLadders } from './incidents-api.ts';
import { StepFields } from './ladder-step-card.tsx';

/** A step as the form holds it: numbers may be empty while typing. */
interface StepValues {
  whom?: string;
  channels?: string[];
  waitSeconds?: number | null;
  repeats?: number | null;
  circleCount?: number | null;
  emergencyNumber?: string | null;
}
interface LadderValues {
  throttleSeconds?: number | null;
  steps?: StepValues[];
}

/** What the API gets: empty optional numbers left out, fields that do not apply to the step dropped. */
export function toLadderBody(v: LadderValues): LadderBody {
  return {
    throttleSeconds: v.throttleSeconds as number,
    steps: (v.steps ?? []).map((s) => ({
      whom: s.whom as LadderBody['steps'][number]['whom'],
      channels: (s.channels ?? []) as LadderBody['steps'][number]['channels'],
      waitSeconds: s.waitSeconds as number,
      ...(s.repeats != null ? { repeats: s.repeats } : {}),
      ...(s.whom === 'circle' && s.circleCount != null ? { circleCount: s.circleCount } : {}),
      ...(s.whom === 'emergency_services' && s.emergencyNumber
        ? { emergencyNumber: s.emergencyNumber as '110' | '120' | '119' }
        : {}),
    })),
  };
}

/**
 * Puts the API's errors next to the fields they name (`body.steps.1.waitSeconds` → step 2's wait);
 * returns the lines that belong to no field, to show above the form.
 */
function applyLadderErrors(form: FormInstance<LadderValues>, err: unknown): string[] {
  if (!(err instanceof ApiError)) return [errorText(err)];
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  const rest: string[] = [];
  for (const d of err.details) {
    const path = (d.field ?? '')
      .replace(/^body\.?/, '')
      .split('.')
      .filter(Boolean);
    const name = path.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const onField =
      (name.length === 1 && name[0] === 'throttleSeconds') ||
      (name.length === 3 && name[0] === 'steps' && typeof name[1] === 'number');
    if (!onField) {
      rest.push(d.message);
      continue;
    }
    const key = name.join('.');
    const hit = byField.get(key) ?? { name, errors: [] };
    hit.errors.push(d.message);
    byField.set(key, hit);
  }
  form.setFields([...byField.values()] as Parameters<typeof form.setFields>[0]);
  return [err.message, ...rest];
}

/** `readOnly`: an administrator below the city sees the ladder, with nothing to change (decision 0013). */
function LadderForm({ ladder, readOnly }: { ladder: Ladder; readOnly: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<LadderValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (body: LadderBody) => saveLadder(ladder.kind, body),
    onSuccess: () => {
      setProblems([]);
      void message.success(t('incidents.ladders.saved'));
      void qc.invalidateQueries({ queryKey: laddersKey });
    },
    onError: (e) => setProblems(applyLadderErrors(form, e)),
  });
  return (
    <Form<LadderValues>
      form={form}
      layout="vertical"
      data-testid="ladder-form"
      disabled={readOnly}
      initialValues={{ throttleSeconds: ladder.throttleSeconds, steps: ladder.steps }}
      onFinish={(v) => {
        // the server's errors of the last try go; the answer to this one puts back what still holds
        form.setFields(
          form
            .getFieldsError()
            .filter((f) => f.errors.length > 0)
            .map((f) => ({ name: f.name, errors: [] })) as unknown as Parameters<typeof form.setFields>[0],
        );
        save.mutate(toLadderBody(v));
      }}
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Text type="secondary" data-testid="ladder-updated">
          {ladder.updatedAt
            ? t('incidents.ladders.updatedAt', { at: formatTime(ladder.updatedAt) })
            : t('incidents.ladders.isDefault')}
        </Typography.Text>
        {problems.length > 0 && (
          <Alert
            type="error"
            showIcon
            data-testid="ladder-errors"
            title={problems[0]}
            description={problems.length > 1 ? problems.slice(1).join('；') : undefined}
          />
        )}
        <Form.List name="steps">
          {(fields, { add, remove, move }) => (
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              {fields.map((f) => (
                <StepFields
                  key={f.key}
                  index={f.name}
                  count={fields.length}
                  onMove={move}
                  onRemove={remove}
                  readOnly={readOnly}
                />
              ))}
              {!readOnly && (
                <Button
                  icon={<PlusOutlined />}
                  data-testid="ladder-add-step"
                  onClick={() => add({ whom: 'circle', channels: ['sms'], waitSeconds: 300, repeats: 0 })}
                >
                  {t('incidents.ladders.addStep')}
                </Button>
              )}
            </Space>
          )}
        </Form.List>
        <Form.Item
          name="throttleSeconds"
          label={t('incidents.ladders.throttleSeconds')}
          extra={t('incidents.ladders.throttleHint')}
          style={{ maxWidth: 320 }}
        >
          <InputNumber style={{ width: '100%' }} precision={0} suffix={t('incidents.ladders.sec')} />
        </Form.Item>
        {!readOnly && (
          <Space>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="ladder-save">
              {t('common.save')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setProblems([]);
              }}
            >
              {t('incidents.ladders.reset')}
            </Button>
          </Space>
        )}
      </Space>
    </Form>
  );
}

/** 升级规则 (administrators): the escalation ladder of each incident kind, step by step. */
export function LaddersPage() {
  const { t } = useTranslation();
  const readOnly = !isCityAdmin(useCurrentUser());
  const [kind, setKind] = useState<IncidentKind>('sos_device');
  const ladders = useLadders();
  if (ladders.isError) return <LoadError {...retryOf(ladders)} />;
  const ladder = ladders.data?.items.find((l) => l.kind === kind);
  return (
    <Card
      title={t('incidents.ladders.title')}
      loading={ladders.isPending}
      extra={
        <Select<IncidentKind>
          value={kind}
          onChange={setKind}
          data-testid="ladder-kind"
          style={{ width: 240, maxWidth: '100%' }}
          options={incidentKinds.map((k) => ({ value: k, label: t(`incidents.kind.${k}`) }))}
        />
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Alert type="info" showIcon title={t('incidents.ladders.hint')} />
        {readOnly && <CityConfigNote />}
        {ladder && (
          <LadderForm
            key={`${ladder.kind}-${ladder.updatedAt ?? 'default'}`}
            ladder={ladder}
            readOnly={readOnly}
          />
        )}
      </Space>
    </Card>
  );
}
