import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Select, Space, Switch, Tag, TreeSelect } from 'antd';
import { useLayoutEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/accounts.ts';
import { carerKinds, roles } from '../../../shared/auth.ts';
import { FormDrawer } from '../../components/form-drawer.tsx';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { buildForest, orgTreeOptions, orgTreeSelectProps, useOrgs } from '../../lib/orgs.ts';
import { accountsKey, createAccount, updateAccount } from './accounts-api.ts';

interface AccountForm {
  username: string;
  displayName: string;
  password?: string;
  role: Account['role'];
  carerKind?: (typeof carerKinds)[number] | null;
  phone?: string;
  scopeOrgIds: number[];
  active: boolean;
}

const fields = ['username', 'displayName', 'password', 'role', 'carerKind', 'phone', 'scopeOrgIds', 'active'];

/**
 * Create (account = null) or edit an account: role, carer kind, scope, reset password, deactivate, unlock.
 * `volunteersOnly` (a coordinator): creation only, the role fixed to a volunteer carer.
 */
export function AccountDrawer({
  open,
  account,
  volunteersOnly = false,
  onClose,
}: {
  open: boolean;
  account: Account | null;
  volunteersOnly?: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<AccountForm>();
  const [errors, setErrors] = useState<string[]>([]);
  const role = Form.useWatch('role', form);
  const orgs = useOrgs();

  const scopeTree = useMemo(
    () =>
      orgTreeOptions(buildForest(orgs.data ?? []), {
        title: (n) => `${n.name}（${t(`orgKind.${n.kind}`)}）`,
      }),
    [orgs.data, t],
  );

  // a layout effect: the values are in place before the opened drawer is first painted
  useLayoutEffect(() => {
    if (!open) return;
    setErrors([]);
    form.resetFields();
    if (account) {
      form.setFieldsValue({
        username: account.username,
        displayName: account.displayName,
        role: account.role,
        carerKind: account.carerKind as AccountForm['carerKind'],
        // the list shows the phone masked: the field starts empty, a new number replaces it
        phone: '',
        scopeOrgIds: account.scopes.map((s) => s.id),
        active: account.active,
      });
    } else form.setFieldsValue({ role: 'carer', carerKind: 'volunteer', active: true, scopeOrgIds: [] });
  }, [open, account, form]);

  const done = async (text: string) => {
    message.success(text);
    await qc.invalidateQueries({ queryKey: accountsKey });
    onClose();
  };

  const save = useMutation({
    mutationFn: async (v: AccountForm) => {
      const common = {
        displayName: v.displayName,
        // a coordinator adds volunteers only (the server refuses anything else with a 403)
        role: volunteersOnly ? ('carer' as const) : v.role,
        carerKind: volunteersOnly
          ? ('volunteer' as const)
          : v.role === 'carer'
            ? (v.carerKind ?? null)
            : null,
        scopeOrgIds: v.scopeOrgIds,
      };
      const phone = v.phone?.trim() ? v.phone.trim() : null;
      if (!account)
        return createAccount({
          ...common,
          phone,
          username: v.username,
          // required by the form's rule; an empty one is refused by the server with its own message
          password: v.password ?? '',
        });
      return updateAccount(account.id, {
        ...common,
        ...(phone ? { phone } : {}),
        active: v.active,
        ...(v.password ? { password: v.password } : {}),
      });
    },
    onSuccess: () => done(t(account ? 'accounts.saved' : 'accounts.created')),
    onError: (e) => setErrors(applyApiErrors(form, e, fields)),
  });

  const unlock = useMutation({
    mutationFn: () => updateAccount(account!.id, { unlock: true }),
    onSuccess: () => done(t('accounts.unlocked')),
    onError: (e) => setErrors(applyApiErrors(form, e, fields)),
  });

  return (
    <FormDrawer
      open={open}
      onClose={onClose}
      width={480}
      title={
        account
          ? t('accounts.editTitle', { name: account.displayName })
          : t(volunteersOnly ? 'accounts.createVolunteer' : 'accounts.createTitle')
      }
      saving={save.isPending}
      onSave={() => form.submit()}
      errors={errors}
      saveTestId="account-save"
      errorTestId="account-error"
    >
      {account?.locked && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('accounts.lockedHint')}
          action={
            <Button size="small" loading={unlock.isPending} onClick={() => unlock.mutate()}>
              {t('accounts.unlock')}
            </Button>
          }
        />
      )}
      {volunteersOnly && !account && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('accounts.createVolunteerHint')} />
      )}
      <Form<AccountForm>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        data-testid="account-form"
      >
        <Form.Item
          name="username"
          label={t('accounts.username')}
          rules={[{ required: true, whitespace: true, message: t('accounts.usernameRequired') }]}
          extra={account ? undefined : t('accounts.usernameHint')}
        >
          <Input disabled={!!account} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('accounts.displayName')}
          rules={[
            { required: true, whitespace: true, message: t('accounts.displayNameRequired') },
            { max: 64, message: t('common.tooLong', { field: t('accounts.displayName'), max: 64 }) },
          ]}
        >
          <Input count={{ show: true, max: 64 }} />
        </Form.Item>
        <Form.Item
          name="password"
          label={account ? t('accounts.resetPassword') : t('accounts.password')}
          extra={account ? t('accounts.resetPasswordHint') : t('accounts.passwordHint')}
          rules={[
            { required: !account, message: t('accounts.passwordRequired') },
            { min: 10, message: t('accounts.passwordTooShort') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('accounts.role')}
          rules={[{ required: true }]}
          hidden={volunteersOnly}
        >
          <Select options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
        </Form.Item>
        {role === 'carer' && !volunteersOnly && (
          <Form.Item name="carerKind" label={t('accounts.carerKind')}>
            <Select allowClear options={carerKinds.map((k) => ({ value: k, label: t(`carerKind.${k}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="phone" label={t('accounts.phone')} extra={t('accounts.phoneHint')}>
          <Input
            maxLength={40}
            inputMode="tel"
            placeholder={
              account?.phone ? t('accounts.phonePlaceholderMasked', { masked: account.phone }) : undefined
            }
          />
        </Form.Item>
        <Form.Item
          name="scopeOrgIds"
          label={t('accounts.scopes')}
          extra={t('accounts.scopesHint')}
          rules={[{ required: true, type: 'array', min: 1, message: t('accounts.scopesRequired') }]}
        >
          <TreeSelect
            multiple
            treeData={scopeTree}
            loading={orgs.isPending}
            {...orgTreeSelectProps}
            treeDefaultExpandedKeys={scopeTree.map((n) => n.value)}
            placeholder={t('accounts.scopesPlaceholder')}
            data-testid="scope-select"
          />
        </Form.Item>
        {account && (
          <Form.Item name="active" label={t('accounts.status')} valuePropName="checked">
            <Switch checkedChildren={t('accounts.active')} unCheckedChildren={t('accounts.inactive')} />
          </Form.Item>
        )}
        {account && account.scopes.length > 0 && (
          <Space size={[4, 4]} wrap>
            {account.scopes.map((s) => (
              <Tag key={s.id}>{s.name}</Tag>
            ))}
          </Space>
        )}
      </Form>
    </FormDrawer>
  );
}
