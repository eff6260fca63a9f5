import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Grid,
  Input,
  InputNumber,
  Row,
  Select,
  TreeSelect,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  difficultyGroups,
  type Elder,
  elderCategories,
  elderStatuses,
  KEY_TAG,
  livingSituations,
} from '../../../shared/elders.ts';
import { parseIdNumber } from '../../../shared/id-number.ts';
import { FormDrawer } from '../../components/form-drawer.tsx';
import { applyApiErrors } from '../../lib/form-errors.ts';
import { currentLang } from '../../lib/i18n.ts';
import { orgTreeSelectProps } from '../../lib/orgs.ts';
import { useOrgTreeOptions } from './elder-filters.tsx';
import { createElder, eldersKey, updateElder } from './elders-api.ts';

const flags = ['hearingImpaired', 'visionImpaired', 'mobilityImpaired', 'cognitionImpaired'] as const;
const placeKinds = ['community', 'grid'] as const;
const affiliationKinds = ['unit', 'department'] as const;

interface ElderForm {
  name: string;
  idNumber: string;
  gender?: 'M' | 'F';
  birthDate?: Dayjs | null;
  phones: string[];
  orgId?: number;
  affiliationId?: number | null;
  address?: string;
  building?: string;
  unit?: string;
  room?: string;
  categories: string[];
  livingSituation?: string | null;
  difficultyGroups: string[];
  flags: string[];
  tags: string[];
  survivorOf?: number | null;
  agreementSignedAt?: Dayjs | null;
  note?: string;
  status?: Elder['status'];
  statusSince?: Dayjs | null;
  statusReason?: string;
}

const fields = [
  'name',
  'idNumber',
  'gender',
  'birthDate',
  'phones',
  'orgId',
  'affiliationId',
  'address',
  'building',
  'unit',
  'room',
  'categories',
  'livingSituation',
  'difficultyGroups',
  'tags',
  'survivorOf',
  'agreementSignedAt',
  'note',
  'status',
  'statusSince',
  'statusReason',
];

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
const text = (s: string | undefined | null) => (s?.trim() ? s.trim() : null);

/** The ID number as typed: derived birth date and gender, or the reason it is wrong (in the UI language). */
function idCheck(value: string | undefined) {
  if (!value?.trim()) return null;
  return parseIdNumber(value);
}

/** Register (elder = null) or edit an elder; the ID number is checked as it is typed. */
export function ElderFormDrawer({
  open,
  elder,
  onClose,
  onSaved,
}: {
  open: boolean;
  elder: Elder | null;
  onClose: () => void;
  onSaved?: (e: Elder) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<ElderForm>();
  const [errors, setErrors] = useState<string[]>([]);
  const idValue = Form.useWatch('idNumber', form);
  const categories = Form.useWatch('categories', form) ?? [];
  const status = Form.useWatch('status', form);
  const geo = useOrgTreeOptions('geo', placeKinds);
  const aff = useOrgTreeOptions('affiliation', affiliationKinds);
  const zh = currentLang() === 'zh-CN';
  const parsed = idCheck(idValue);

  useEffect(() => {
    if (!open) return;
    setErrors([]);
    form.resetFields();
    if (elder) {
      form.setFieldsValue({
        name: elder.name,
        idNumber: '',
        gender: elder.gender,
        birthDate: dayjs(elder.birthDate),
        phones: [],
        orgId: elder.org?.id,
        affiliationId: elder.affiliation?.id ?? null,
        address: elder.address ?? '',
        building: elder.building ?? '',
        unit: elder.unit ?? '',
        room: elder.room ?? '',
        categories: elder.categories,
        livingSituation: elder.livingSituation,
        difficultyGroups: elder.difficultyGroups,
        flags: flags.filter((f) => elder[f]),
        tags: elder.tags,
        survivorOf: elder.survivorOf,
        agreementSignedAt: elder.agreementSignedAt ? dayjs(elder.agreementSignedAt) : null,
        note: elder.note ?? '',
        status: elder.status,
        statusSince: elder.statusSince ? dayjs(elder.statusSince) : null,
        statusReason: elder.statusReason ?? '',
      });
    } else {
      form.setFieldsValue({ phones: [], categories: [], difficultyGroups: [], flags: [], tags: [] });
    }
  }, [open, elder, form]);

  // the birth date and gender follow a valid ID number as it is typed
  const derived = parsed?.ok ? `${parsed.birthDate}|${parsed.gender}` : null;
  useEffect(() => {
    if (!derived) return;
    const [birthDate, gender] = derived.split('|') as [string, 'M' | 'F'];
    form.setFieldsValue({ birthDate: dayjs(birthDate), gender });
  }, [derived, form]);

  const save = useMutation({
    mutationFn: async (v: ElderForm) => {
      const body = {
        name: v.name,
        gender: v.gender,
        birthDate: day(v.birthDate) ?? undefined,
        orgId: v.orgId,
        affiliationId: v.affiliationId ?? null,
        address: text(v.address),
        building: text(v.building),
        unit: text(v.unit),
        room: text(v.room),
        categories: v.categories,
        livingSituation: v.livingSituation ?? null,
        difficultyGroups: v.difficultyGroups,
        ...Object.fromEntries(flags.map((f) => [f, v.flags.includes(f)])),
        tags: v.tags,
        survivorOf: v.categories.includes('遗属') ? (v.survivorOf ?? null) : null,
        agreementSignedAt: day(v.agreementSignedAt),
        note: text(v.note),
      };
      if (!elder) return createElder({ ...body, idNumber: v.idNumber, phones: v.phones });
      return updateElder(elder.id, {
        ...body,
        // masked values are never sent back: the ID number and phones change only when retyped
        ...(v.idNumber?.trim() ? { idNumber: v.idNumber } : {}),
        ...(v.phones.length > 0 ? { phones: v.phones } : {}),
        status: v.status,
        statusSince: day(v.statusSince),
        statusReason: text(v.statusReason),
      });
    },
    onSuccess: async (saved) => {
      message.success(t(elder ? 'elders.form.saved' : 'elders.form.created'));
      for (const w of saved.warnings ?? []) message.warning(w, 8);
      await qc.invalidateQueries({ queryKey: eldersKey });
      onClose();
      onSaved?.(saved);
    },
    onError: (e) => setErrors(applyApiErrors(form, e, fields)),
  });

  const idExtra = parsed?.ok ? (
    <span data-testid="id-derived">
      {t('elders.form.idDerived', {
        birthDate: parsed.birthDate,
        gender: t(`elders.gender.${parsed.gender}`),
      })}
      {parsed.upgradedFrom15 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 4 }}
          title={t('elders.form.idUpgraded', { from: parsed.upgradedFrom15, to: parsed.idNumber })}
        />
      )}
    </span>
  ) : elder ? (
    t('elders.form.idKeep', { masked: elder.idNumber })
  ) : undefined;

  const half = screens.sm ? 12 : 24;
  return (
    <FormDrawer
      open={open}
      onClose={onClose}
      width={720}
      wideFrom="md"
      title={elder ? t('elders.form.editTitle', { name: elder.name }) : t('elders.form.createTitle')}
      saving={save.isPending}
      onSave={() => form.submit()}
      errors={errors}
      saveTestId="elder-save"
      errorTestId="elder-form-error"
    >
      <Form<ElderForm>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        data-testid="elder-form"
      >
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item
              name="name"
              label={t('elders.field.name')}
              rules={[
                { required: true, whitespace: true, message: t('elders.form.nameRequired') },
                { max: 50, message: t('common.tooLong', { field: t('elders.field.name'), max: 50 }) },
              ]}
            >
              {/* a counter, never a silent cut: a longer name is refused with a message */}
              <Input count={{ show: true, max: 50 }} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="idNumber"
              label={t('elders.field.idNumber')}
              extra={idExtra}
              validateDebounce={200}
              rules={[
                { required: !elder, message: t('elders.form.idRequired') },
                {
                  validator: async (_r, value: string | undefined) => {
                    const r = idCheck(value);
                    if (r && !r.ok) throw new Error(zh ? r.reason : r.reasonEn);
                  },
                },
              ]}
            >
              <Input maxLength={20} autoComplete="off" placeholder={elder ? elder.idNumber : undefined} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="gender" label={t('elders.field.gender')}>
              <Select
                options={(['M', 'F'] as const).map((g) => ({ value: g, label: t(`elders.gender.${g}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="birthDate" label={t('elders.field.birthDate')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name="phones"
              label={t('elders.field.phones')}
              extra={
                elder ? t('elders.form.phonesKeep', { masked: elder.phones.join('、') || '-' }) : undefined
              }
            >
              <Select mode="tags" tokenSeparators={[',', '，', ' ', '、']} open={false} suffixIcon={null} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="orgId"
              label={t('elders.field.org')}
              rules={[{ required: true, message: t('elders.form.orgRequired') }]}
            >
              <TreeSelect
                {...orgTreeSelectProps}
                treeData={geo.options}
                loading={geo.loading}
                data-testid="elder-org"
              />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="affiliationId" label={t('elders.field.affiliation')}>
              <TreeSelect allowClear {...orgTreeSelectProps} treeData={aff.options} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="address" label={t('elders.field.address')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="building" label={t('elders.field.building')}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="unit" label={t('elders.field.unit')}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="room" label={t('elders.field.room')}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="categories" label={t('elders.field.categories')}>
              <Select mode="multiple" options={elderCategories.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="livingSituation" label={t('elders.field.livingSituation')}>
              <Select allowClear options={livingSituations.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
          </Col>
          {categories.includes('遗属') && (
            <Col span={24}>
              <Form.Item
                name="survivorOf"
                label={t('elders.field.survivorOf')}
                extra={t('elders.form.survivorHint')}
              >
                <InputNumber min={1} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )}
          <Col span={24}>
            <Form.Item name="difficultyGroups" label={t('elders.field.difficultyGroups')}>
              <Select mode="multiple" options={difficultyGroups.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="flags" label={t('elders.field.flags')}>
              <Checkbox.Group options={flags.map((f) => ({ value: f, label: t(`elders.flag.${f}`) }))} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="tags" label={t('elders.field.tags')}>
              <Select mode="tags" options={[{ value: KEY_TAG, label: KEY_TAG }]} />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="agreementSignedAt" label={t('elders.field.agreementSignedAt')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {elder && (
            <>
              <Col span={half}>
                <Form.Item name="status" label={t('elders.field.status')}>
                  <Select
                    options={elderStatuses.map((s) => ({ value: s, label: t(`elders.status.${s}`) }))}
                  />
                </Form.Item>
              </Col>
              {status !== elder.status || elder.status !== 'active' ? (
                <>
                  <Col span={half}>
                    <Form.Item name="statusSince" label={t('elders.field.statusSince')}>
                      <DatePicker style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col span={half}>
                    <Form.Item name="statusReason" label={t('elders.field.statusReason')}>
                      <Input maxLength={200} />
                    </Form.Item>
                  </Col>
                </>
              ) : null}
            </>
          )}
          <Col span={24}>
            <Form.Item name="note" label={t('elders.field.note')}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormDrawer>
  );
}
