import { FilterOutlined } from '@ant-design/icons';
import { Badge, Button, Checkbox, Input, Select, Space, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { abilityLevels } from '../../../shared/ability.ts';
import {
  ageBands,
  difficultyGroups,
  type ElderFilters,
  elderCategories,
  elderSorts,
  elderStatuses,
  livingSituations,
} from '../../../shared/elders.ts';
import { buildForest, orgTreeOptions, orgTreeSelectProps, useOrgs } from '../../lib/orgs.ts';

/** The geo tree (and affiliations) as TreeSelect options; `selectable` limits which kinds may be picked. */
export function useOrgTreeOptions(tree: 'geo' | 'affiliation', selectable?: readonly string[]) {
  const orgs = useOrgs(tree);
  const options = useMemo(
    () =>
      orgTreeOptions(buildForest(orgs.data ?? []), {
        selectable: (n) => !selectable || selectable.includes(n.kind),
      }),
    [orgs.data, selectable],
  );
  return { options, loading: orgs.isPending };
}

const advancedKeys = [
  'orgId',
  'category',
  'livingSituation',
  'difficultyGroup',
  'ageBand',
  'abilityLevel',
  'tag',
  'status',
  'noCarer',
  'noFamilyDoctor',
] as const;

/** Search box and the server-side filters; on a phone the filters fold behind one button. */
export function ElderFilterBar({
  value,
  onChange,
  phone,
}: {
  value: ElderFilters;
  onChange: (f: ElderFilters) => void;
  phone: boolean;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const geo = useOrgTreeOptions('geo');
  const set = (patch: Partial<ElderFilters>) => onChange({ ...value, ...patch });
  const active = advancedKeys.filter((k) => value[k] !== undefined && value[k] !== false).length;
  const wide = phone ? '100%' : 170;

  const filters = (
    <Space wrap size={[8, 8]} style={{ width: '100%' }} data-testid="elder-filters">
      <TreeSelect
        allowClear
        {...orgTreeSelectProps}
        placeholder={t('elders.filter.org')}
        treeData={geo.options}
        loading={geo.loading}
        value={value.orgId}
        onChange={(v) => set({ orgId: v ?? undefined })}
        treeDefaultExpandAll={false}
        style={{ width: phone ? '100%' : 220 }}
        data-testid="filter-org"
      />
      <Select
        allowClear
        placeholder={t('elders.filter.category')}
        value={value.category}
        onChange={(v) => set({ category: v })}
        options={elderCategories.map((c) => ({ value: c, label: c }))}
        style={{ width: wide }}
        data-testid="filter-category"
      />
      <Select
        allowClear
        placeholder={t('elders.filter.livingSituation')}
        value={value.livingSituation}
        onChange={(v) => set({ livingSituation: v })}
        options={livingSituations.map((c) => ({ value: c, label: c }))}
        style={{ width: wide }}
        data-testid="filter-living"
      />
      <Select
        allowClear
        placeholder={t('elders.filter.difficultyGroup')}
        value={value.difficultyGroup}
        onChange={(v) => set({ difficultyGroup: v })}
        options={difficultyGroups.map((c) => ({ value: c, label: c }))}
        style={{ width: wide }}
      />
      <Select
        allowClear
        placeholder={t('elders.filter.ageBand')}
        value={value.ageBand}
        onChange={(v) => set({ ageBand: v })}
        options={ageBands.map((c) => ({ value: c, label: t(`elders.ageBand.${c}`) }))}
        style={{ width: phone ? '100%' : 130 }}
        data-testid="filter-age"
      />
      <Select
        allowClear
        placeholder={t('elders.filter.abilityLevel')}
        value={value.abilityLevel}
        onChange={(v) => set({ abilityLevel: v })}
        options={abilityLevels.map((l) => ({ value: l.level, label: t(`elders.level.${l.level}`) }))}
        style={{ width: wide }}
      />
      <Select
        allowClear
        placeholder={t('elders.filter.status')}
        value={value.status}
        onChange={(v) => set({ status: v })}
        options={elderStatuses.map((s) => ({ value: s, label: t(`elders.status.${s}`) }))}
        style={{ width: phone ? '100%' : 120 }}
      />
      <Input
        allowClear
        placeholder={t('elders.filter.tag')}
        defaultValue={value.tag}
        onBlur={(e) => set({ tag: e.target.value.trim() || undefined })}
        onPressEnter={(e) => set({ tag: (e.target as HTMLInputElement).value.trim() || undefined })}
        style={{ width: phone ? '100%' : 140 }}
      />
      <Checkbox checked={!!value.noCarer} onChange={(e) => set({ noCarer: e.target.checked || undefined })}>
        {t('elders.filter.noCarer')}
      </Checkbox>
      <Checkbox
        checked={!!value.noFamilyDoctor}
        onChange={(e) => set({ noFamilyDoctor: e.target.checked || undefined })}
      >
        {t('elders.filter.noFamilyDoctor')}
      </Checkbox>
      {active > 0 && (
        <Button
          type="link"
          onClick={() => onChange({ q: value.q, sort: value.sort })}
          data-testid="filter-clear"
        >
          {t('elders.filter.clear')}
        </Button>
      )}
    </Space>
  );

  return (
    <Space orientation="vertical" size={8} style={{ width: '100%', marginBottom: 12 }}>
      <Space.Compact style={{ width: '100%' }}>
        <Input.Search
          allowClear
          enterButton
          size={phone ? 'large' : 'middle'}
          placeholder={t('elders.filter.searchPlaceholder')}
          defaultValue={value.q}
          onSearch={(v) => set({ q: v.trim() || undefined })}
          style={{ maxWidth: phone ? undefined : 360 }}
          data-testid="elder-search"
        />
        {phone && (
          <Badge count={active} size="small">
            <Button
              size="large"
              icon={<FilterOutlined />}
              onClick={() => setOpen(!open)}
              aria-label={t('elders.filter.toggle')}
              data-testid="filter-toggle"
            />
          </Badge>
        )}
      </Space.Compact>
      {phone && (
        <Select
          size="large"
          value={value.sort ?? 'name'}
          onChange={(v) => set({ sort: v })}
          options={elderSorts.map((s) => ({ value: s, label: t(`elders.sort.${s}`) }))}
          style={{ width: '100%' }}
          data-testid="elder-sort"
        />
      )}
      {(!phone || open) && filters}
    </Space>
  );
}
