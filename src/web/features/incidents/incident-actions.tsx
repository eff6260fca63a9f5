import { CheckCircleOutlined, FileDoneOutlined, RocketOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, type FormInstance, Input, Radio, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Incident, type Outcome, outcomes } from '../../../shared/incidents.ts';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { useIncidentAction } from './incidents-api.ts';
import { nextStates } from './rules.ts';

type Panel = 'dispatch' | 'resolve' | null;

/** Acknowledge, dispatch, move the state on, resolve with an outcome, and add notes. */
export function IncidentActions({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const action = useIncidentAction(incident.id);
  const [panel, setPanel] = useState<Panel>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [dispatchForm] = Form.useForm<{ responder: string; phone?: string; note?: string }>();
  const [resolveForm] = Form.useForm<{ outcome: Outcome; note?: string }>();
  const [noteForm] = Form.useForm<{ text: string }>();
  const state = incident.state;
  const active = !['resolved', 'follow_up'].includes(state);
  // acknowledging and dispatching have their own buttons (they stop the ladder the same way)
  const moves = nextStates(state).filter((s) => s !== 'responder_en_route' && s !== 'acknowledged');

  const run = (
    a: Parameters<typeof action.mutate>[0],
    form?: { f: FormInstance; fields: string[] },
    after?: () => void,
  ) => {
    setErrors([]);
    action.mutate(a, {
      onSuccess: () => {
        void message.success(t('incidents.actions.done'));
        after?.();
      },
      onError: (err) =>
        setErrors(form ? applyApiErrors(form.f, err, form.fields) : applyApiErrors(noteForm, err, [])),
    });
  };

  return (
    <Card size="small" title={t('incidents.actions.title')} data-testid="incident-actions">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {errors.length > 0 && <Alert type="error" showIcon title={errors.join('；')} />}
        <Space wrap size={8}>
          {state === 'open' && (
            <Button
              type="primary"
              danger
              size="large"
              icon={<CheckCircleOutlined />}
              loading={action.isPending}
              onClick={() => run({ kind: 'acknowledge' })}
              data-testid="incident-acknowledge"
            >
              {t('incidents.actions.acknowledge')}
            </Button>
          )}
          {['open', 'acknowledged', 'responder_en_route'].includes(state) && (
            <Button
              size="large"
              icon={<RocketOutlined />}
              onClick={() => setPanel(panel === 'dispatch' ? null : 'dispatch')}
              data-testid="incident-dispatch"
            >
              {t('incidents.actions.dispatch')}
            </Button>
          )}
          {moves
            .filter((s) => s !== 'follow_up' || state === 'resolved')
            .map((s) => (
              <Button
                key={s}
                size="large"
                onClick={() => run({ kind: 'transition', body: { to: s } })}
                data-testid={`incident-move-${s}`}
              >
                {s === 'follow_up' ? t('incidents.actions.followUp') : `→ ${t(`incidents.state.${s}`)}`}
              </Button>
            ))}
          {active && (
            <Button
              size="large"
              type={state === 'on_scene' ? 'primary' : 'default'}
              icon={<FileDoneOutlined />}
              onClick={() => setPanel(panel === 'resolve' ? null : 'resolve')}
              data-testid="incident-resolve"
            >
              {t('incidents.actions.resolve')}
            </Button>
          )}
        </Space>

        {panel === 'dispatch' && (
          <Form
            form={dispatchForm}
            layout="vertical"
            data-testid="dispatch-form"
            onFinish={(v) =>
              run(
                { kind: 'dispatch', body: v },
                { f: dispatchForm, fields: ['responder', 'phone', 'note'] },
                () => {
                  dispatchForm.resetFields();
                  setPanel(null);
                },
              )
            }
          >
            <Form.Item
              name="responder"
              label={t('incidents.actions.responder')}
              rules={[
                { required: true, whitespace: true, message: t('incidents.actions.responderRequired') },
              ]}
            >
              <Input size="large" maxLength={100} />
            </Form.Item>
            <Form.Item name="phone" label={t('incidents.actions.responderPhone')}>
              <Input size="large" inputMode="tel" maxLength={32} />
            </Form.Item>
            <Form.Item name="note" label={t('incidents.actions.note')}>
              <Input size="large" maxLength={500} />
            </Form.Item>
            <Space>
              <Button
                type="primary"
                htmlType="submit"
                size="large"
                loading={action.isPending}
                data-testid="dispatch-submit"
              >
                {t('incidents.actions.save')}
              </Button>
              <Button size="large" onClick={() => setPanel(null)}>
                {t('incidents.actions.cancel')}
              </Button>
            </Space>
          </Form>
        )}

        {panel === 'resolve' && (
          <Form
            form={resolveForm}
            layout="vertical"
            data-testid="resolve-form"
            onFinish={(v) =>
              run(
                {
                  kind: 'transition',
                  body: { to: 'resolved', outcome: v.outcome, note: v.note || undefined },
                },
                { f: resolveForm, fields: ['outcome', 'note'] },
                () => setPanel(null),
              )
            }
          >
            <Form.Item
              name="outcome"
              label={t('incidents.actions.outcome')}
              rules={[{ required: true, message: t('incidents.actions.outcomeRequired') }]}
            >
              <Radio.Group optionType="button" buttonStyle="solid" size="large">
                {outcomes.map((o) => (
                  <Radio.Button key={o} value={o} data-testid={`outcome-${o}`}>
                    {t(`incidents.outcome.${o}`)}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item name="note" label={t('incidents.actions.resolveNote')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
            <Space>
              <Button
                type="primary"
                htmlType="submit"
                size="large"
                loading={action.isPending}
                data-testid="resolve-submit"
              >
                {t('incidents.actions.resolve')}
              </Button>
              <Button size="large" onClick={() => setPanel(null)}>
                {t('incidents.actions.cancel')}
              </Button>
            </Space>
          </Form>
        )}

        <Form
          form={noteForm}
          layout="vertical"
          data-testid="note-form"
          onFinish={(v) =>
            run({ kind: 'note', text: v.text }, { f: noteForm, fields: ['text'] }, () =>
              noteForm.resetFields(),
            )
          }
        >
          <Form.Item
            name="text"
            label={t('incidents.actions.note')}
            rules={[{ required: true, whitespace: true, message: t('incidents.actions.notePlaceholder') }]}
          >
            <Input.TextArea rows={2} maxLength={2000} placeholder={t('incidents.actions.notePlaceholder')} />
          </Form.Item>
          <Button htmlType="submit" loading={action.isPending} data-testid="note-submit">
            {t('incidents.actions.save')}
          </Button>
        </Form>
      </Space>
    </Card>
  );
}
