import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Org, orgKindChildren } from '../../../shared/orgs.ts';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { createOrg, orgsRootKey, updateOrg } from './orgs-api.ts';

/** What the modal is doing: adding under a parent (null: a new root of `tree`), or renaming a node. */
export type OrgEdit =
  | { mode: 'add'; tree: 'geo' | 'affiliation'; parent: Org | null }
  | { mode: 'rename'; org: Org };

interface OrgForm {
  name: string;
  code?: string;
  kind?: string;
}

const fields = ['name', 'code', 'kind'] as const;

function kindsUnder(edit: Extract<OrgEdit, { mode: 'add' }>): string[] {
  return orgKindChildren[edit.parent ? edit.parent.kind : `root_${edit.tree}`] ?? [];
}

export function OrgFormModal({ edit, onClose }: { edit: OrgEdit | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<OrgForm>();
  const [errors, setErrors] = useState<string[]>([]);

  const kinds = edit?.mode === 'add' ? kindsUnder(edit) : [];

  // a layout effect: the values are in place before the opened modal is first painted
  useLayoutEffect(() => {
    if (!edit) return;
    setErrors([]);
    form.resetFields();
    if (edit.mode === 'rename') form.setFieldsValue({ name: edit.org.name, code: edit.org.code ?? '' });
    else form.setFieldsValue({ kind: kindsUnder(edit)[0] });
  }, [edit, form]);

  const save = useMutation({
    mutationFn: async (v: OrgForm) => {
      if (!edit) return;
      const code = v.code?.trim() ? v.code.trim() : null;
      if (edit.mode === 'rename') return updateOrg(edit.org.id, { name: v.name, code });
      return createOrg({
        tree: edit.tree,
        kind: v.kind as Org['kind'],
        parentId: edit.parent?.id ?? null,
        name: v.name,
        code,
      });
    },
    onSuccess: async () => {
      message.success(t(edit?.mode === 'rename' ? 'orgs.renamed' : 'orgs.created'));
      await qc.invalidateQueries({ queryKey: orgsRootKey });
      onClose();
    },
    onError: (e) => setErrors(applyApiErrors(form, e, fields)),
  });

  const title =
    edit?.mode === 'rename'
      ? t('orgs.renameTitle', { name: edit.org.name })
      : edit?.parent
        ? t('orgs.addChildTitle', { name: edit.parent.name })
        : t('orgs.addRootTitle');

  return (
    <Modal
      open={!!edit}
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
      forceRender
    >
      {errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={errors[0]}
          description={errors.length > 1 ? errors.slice(1).join('；') : undefined}
        />
      )}
      <Form<OrgForm> form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="org-form">
        {edit?.mode === 'add' && (
          <Form.Item
            name="kind"
            label={t('orgs.kind')}
            rules={[{ required: true, message: t('orgs.kindRequired') }]}
          >
            <Select options={kinds.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))} />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={t('orgs.name')}
          rules={[
            { required: true, whitespace: true, message: t('orgs.nameRequired') },
            { max: 100, message: t('common.tooLong', { field: t('orgs.name'), max: 100 }) },
          ]}
        >
          <Input count={{ show: true, max: 100 }} autoFocus />
        </Form.Item>
        <Form.Item name="code" label={t('orgs.code')} extra={t('orgs.codeHint')}>
          <Input maxLength={32} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
