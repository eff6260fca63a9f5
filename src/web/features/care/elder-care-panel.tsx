import { PauseCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Space,
  TimePicker,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { formatTime, TIME_ZONE } from '../../lib/i18n.ts';
import { careKey, pauseDuties, resumeDuties, setDutyDeadline, useElderDuties } from './care-api.ts';
import { DutyList } from './duty-list.tsx';
import { ReferralsCard } from './referrals-card.tsx';

const pauseReasons = ['hospital', 'travelling', 'other'] as const;
const pauseFields = ['reason', 'until', 'note'] as const;

interface PauseValues {
  reason?: (typeof pauseReasons)[number];
  until?: Dayjs;
  note?: string;
}

/** Pause with a reason and the date the duties come back (hospital stay, travelling). */
function PauseModal({ elderId, open, onClose }: { elderId: number; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<PauseValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const today = dayjs().tz(TIME_ZONE).format('YYYY-MM-DD');
  const pause = useMutation({
    mutationFn: (v: PauseValues) =>
      pauseDuties({
        elderId,
        reason: v.reason,
        until: v.until?.format('YYYY-MM-DD'),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      }),
    onSuccess: (r) => {
      void message.success(t('care.elderDuties.paused', { count: r.count }));
      void qc.invalidateQueries({ queryKey: careKey });
      form.resetFields();
      setProblems([]);
      onClose();
    },
    onError: (e) => setProblems(applyApiErrors(form, e, pauseFields)),
  });
  return (
    <Modal
      open={open}
      title={t('care.elderDuties.pauseTitle')}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          loading={pause.isPending}
          onClick={() => form.submit()}
          data-testid="pause-submit"
        >
          {t('care.elderDuties.pauseSubmit')}
        </Button>,
      ]}
      destroyOnHidden
    >
      <Form<PauseValues>
        form={form}
        layout="vertical"
        data-testid="pause-form"
        initialValues={{ reason: 'hospital' }}
        onFinish={(v) => pause.mutate(v)}
      >
        {problems.length > 0 && (
          <Alert type="error" showIcon title={problems[0]} style={{ marginBottom: 12 }} />
        )}
        <Form.Item
          name="reason"
          label={t('care.elderDuties.reason')}
          rules={[{ required: true, message: t('care.elderDuties.reasonRequired') }]}
        >
          <Radio.Group
            optionType="button"
            options={pauseReasons.map((r) => ({ value: r, label: t(`care.elderDuties.reasons.${r}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="until"
          label={t('care.elderDuties.until')}
          extra={t('care.elderDuties.untilHint')}
          rules={[{ required: true, message: t('care.elderDuties.untilRequired') }]}
        >
          <DatePicker
            style={{ width: '100%' }}
            format="YYYY-MM-DD"
            disabledDate={(d) => d.format('YYYY-MM-DD') <= today}
          />
        </Form.Item>
        <Form.Item name="note" label={t('care.elderDuties.note')}>
          <Input maxLength={200} placeholder={t('care.elderDuties.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The elder's daily "no news by" time: the silence sweep raises an alert after it (default 20:00). */
function DeadlineForm({ elderId, current }: { elderId: number; current: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ time?: Dayjs | null }>();
  const [problems, setProblems] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (time: string) => setDutyDeadline(elderId, time),
    onSuccess: () => {
      setProblems([]);
      void message.success(t('care.elderDuties.deadlineSaved'));
      void qc.invalidateQueries({ queryKey: careKey });
    },
    onError: (e) => setProblems(applyApiErrors(form, e, ['time'])),
  });
  return (
    <Form
      form={form}
      layout="inline"
      data-testid="deadline-form"
      key={current}
      initialValues={{ time: dayjs(current, 'HH:mm') }}
      onFinish={(v) => v.time && save.mutate(v.time.format('HH:mm'))}
    >
      <Form.Item
        name="time"
        label={t('care.elderDuties.deadline')}
        rules={[{ required: true, message: t('care.elderDuties.deadlineRequired') }]}
      >
        <TimePicker format="HH:mm" minuteStep={5} needConfirm={false} allowClear={false} />
      </Form.Item>
      <Form.Item>
        <Button htmlType="submit" loading={save.isPending} data-testid="deadline-save">
          {t('common.save')}
        </Button>
      </Form.Item>
      {problems.length > 0 && <Alert type="error" showIcon title={problems.join('；')} />}
    </Form>
  );
}

/**
 * 关爱职责 on the elder's page: the duties, a pause (with reason and end date) or resume, the daily
 * deadline, and the needs raised on the elder's visits (需求转介).
 */
export function ElderCarePanel({ elderId }: { elderId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [pausing, setPausing] = useState(false);
  const list = useElderDuties(elderId);
  const resume = useMutation({
    mutationFn: () => resumeDuties(elderId),
    onSuccess: (r) => {
      void message.success(t('care.elderDuties.resumed', { count: r.count }));
      void qc.invalidateQueries({ queryKey: careKey });
    },
    onError: (e) => void message.error(e.message),
  });
  const items = list.data?.items ?? [];
  const paused = items.find((d) => d.pausedUntil);
  const daily = items.find((d) => d.deadlineTime);

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="elder-care">
      {list.isError && <LoadError inline {...retryOf(list)} />}
      <Card size="small" title={t('care.elderDuties.pauseCard')}>
        {paused ? (
          <Space wrap>
            <Alert
              type="warning"
              showIcon
              data-testid="pause-status"
              title={t('care.elderDuties.pausedUntil', {
                date: formatTime(paused.pausedUntil).slice(0, 10),
                reason: t(`care.elderDuties.reasons.${paused.pauseReason}`, {
                  defaultValue: paused.pauseReason ?? '',
                }),
              })}
            />
            <Popconfirm title={t('care.elderDuties.resumeConfirm')} onConfirm={() => resume.mutate()}>
              <Button icon={<PlayCircleOutlined />} loading={resume.isPending} data-testid="duties-resume">
                {t('care.elderDuties.resume')}
              </Button>
            </Popconfirm>
          </Space>
        ) : (
          <Space wrap>
            <Typography.Text type="secondary">{t('care.elderDuties.notPaused')}</Typography.Text>
            <Button
              icon={<PauseCircleOutlined />}
              onClick={() => setPausing(true)}
              disabled={items.length === 0}
              data-testid="duties-pause"
            >
              {t('care.elderDuties.pause')}
            </Button>
          </Space>
        )}
      </Card>
      <Card size="small" title={t('care.elderDuties.deadlineCard')}>
        {daily?.deadlineTime ? (
          <Space orientation="vertical" size={8} style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {t('care.elderDuties.deadlineHint', { duty: daily.templateName })}
            </Typography.Text>
            <DeadlineForm elderId={elderId} current={daily.deadlineTime} />
          </Space>
        ) : (
          <Typography.Text type="secondary" data-testid="no-daily-duty">
            {t('care.elderDuties.noDaily')}
          </Typography.Text>
        )}
      </Card>
      <DutyList items={items} loading={list.isFetching} testId="elder-duties" />
      <ReferralsCard elderId={elderId} />
      <PauseModal elderId={elderId} open={pausing} onClose={() => setPausing(false)} />
    </Space>
  );
}
