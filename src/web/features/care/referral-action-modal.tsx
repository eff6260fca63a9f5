import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { actOnReferral, referralsKey, useReferralHandlers } from './care-api.ts';
import type { Referral } from './types.ts';

/** The actions that need more than a click: 办结 (办理结果), 无需处理 (reason), 转派 (handler). */
export type ReferralModalAction = 'resolve' | 'close' | 'assign';

const fieldOf: Record<ReferralModalAction, 'resolution' | 'reason' | 'handlerId'> = {
  resolve: 'resolution',
  close: 'reason',
  assign: 'handlerId',
};

interface Values {
  resolution?: string;
  reason?: string;
  handlerId?: number;
}

export function ReferralActionModal({
  target,
  onClose,
}: {
  target: { referral: Referral; action: ReferralModalAction } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [problems, setProblems] = useState<string[]>([]);
  const action = target?.action;
  const field = action ? fieldOf[action] : 'resolution';
  const handlers = useReferralHandlers(target?.referral.id, action === 'assign');
  useEffect(() => {
    if (target) {
      form.resetFields();
      setProblems([]);
    }
  }, [target, form]);

  const save = useMutation({
    mutationFn: (v: Values) => actOnReferral(target!.referral, action!, { [field]: v[field] }),
    onSuccess: () => {
      void message.success(t(`care.referrals.done.${action}`));
      void qc.invalidateQueries({ queryKey: referralsKey });
      onClose();
    },
    onError: (e) => {
      setProblems(applyApiErrors(form, e, [field]));
      // someone else changed it: show what it is now
      void qc.invalidateQueries({ queryKey: referralsKey });
    },
  });

  const r = target?.referral;
  return (
    <Modal
      open={!!target}
      title={action && t(`care.referrals.modal.${action}`)}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          loading={save.isPending}
          onClick={() => form.submit()}
          data-testid="referral-modal-submit"
        >
          {action && t(`care.referrals.actions.${action}`)}
        </Button>,
      ]}
    >
      {r && (
        <Typography.Paragraph type="secondary">
          {t('care.referrals.modal.about', { elder: r.elderName, need: r.need })}
        </Typography.Paragraph>
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        data-testid="referral-modal-form"
        onFinish={(v) => save.mutate(v)}
      >
        {problems.length > 0 && (
          <Alert type="error" showIcon title={problems[0]} style={{ marginBottom: 12 }} />
        )}
        {action === 'assign' ? (
          <Form.Item
            name="handlerId"
            label={t('care.referrals.handler')}
            rules={[{ required: true, message: t('care.referrals.handlerRequired') }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              loading={handlers.isPending}
              options={handlers.data?.items.map((h) => ({
                value: h.id,
                label: `${h.name}（${t(`role.${h.role}`, { defaultValue: h.role })}）`,
              }))}
              data-testid="referral-handler"
            />
          </Form.Item>
        ) : (
          <Form.Item
            name={field}
            label={t(`care.referrals.${field}`)}
            rules={[{ required: true, whitespace: true, message: t(`care.referrals.${field}Required`) }]}
          >
            <Input.TextArea
              rows={3}
              maxLength={500}
              showCount
              placeholder={t(`care.referrals.${field}Placeholder`)}
              data-testid={`referral-${field}`}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
