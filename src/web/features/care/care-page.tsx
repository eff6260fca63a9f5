import { Badge, Card, Grid, Tabs, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { isCityAdmin, useCurrentUser } from '../../lib/auth.ts';
import { buildForest, type OrgNode, orgTreeOptions, orgTreeSelectProps, useOrgs } from '../../lib/orgs.ts';
import { AlertsTab, useOpenAlerts } from './alerts-tab.tsx';
import { CalendarTab } from './calendar-tab.tsx';
import { CoverageTab } from './coverage-tab.tsx';
import { DutiesTab } from './duties-tab.tsx';
import { LedgerTab } from './ledger-tab.tsx';
import { PairingTab } from './pairing-tab.tsx';
import { PolicyTab } from './policy-tab.tsx';

const tabKeys = ['alerts', 'duties', 'ledger', 'calendar', 'coverage', 'pairing', 'policy'] as const;
type TabKey = (typeof tabKeys)[number];

/** 关爱服务: the coordinator's views of the care network within their scope. */
export function CarePage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const phone = !Grid.useBreakpoint().md;
  const [params, setParams] = useSearchParams();
  const orgs = useOrgs('geo');
  const openAlerts = useOpenAlerts();

  // the policy is city-wide: every admin reads it, only an admin holding the city edits it (decision 0013)
  const visible = tabKeys.filter((k) => k !== 'policy' || me.role === 'admin');
  const tab: TabKey = visible.includes(params.get('tab') as TabKey)
    ? (params.get('tab') as TabKey)
    : 'alerts';
  const defaultOrg = me.scopes.find((s) => orgs.data?.some((o) => o.id === s.id))?.id ?? orgs.data?.[0]?.id;
  const orgId = Number(params.get('org')) || defaultOrg;

  const tree = useMemo(() => {
    const toOptions = (ns: OrgNode[]) =>
      orgTreeOptions(ns, { title: (n) => `${n.name}（${t(`orgKind.${n.kind}`)}）` });
    return toOptions(buildForest(orgs.data ?? []));
  }, [orgs.data, t]);

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v == null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  const picker = (
    <TreeSelect
      value={orgId}
      treeData={tree}
      loading={orgs.isPending}
      onChange={(v: number) => set({ org: String(v) })}
      style={{ width: phone ? '100%' : 280 }}
      treeDefaultExpandAll={false}
      {...orgTreeSelectProps}
      placeholder={t('care.orgPicker')}
      data-testid="care-org"
    />
  );

  const body = (key: TabKey) => {
    if (!orgId) return null;
    switch (key) {
      case 'alerts':
        return <AlertsTab />;
      case 'duties':
        return <DutiesTab orgId={orgId} />;
      case 'ledger':
        return <LedgerTab orgId={orgId} />;
      case 'calendar':
        return <CalendarTab orgId={orgId} />;
      case 'coverage':
        return <CoverageTab orgId={orgId} onOrg={(id) => set({ org: String(id) })} />;
      case 'pairing':
        return <PairingTab orgId={orgId} />;
      case 'policy':
        return <PolicyTab readOnly={!isCityAdmin(me)} />;
    }
  };

  return (
    <Card title={t('care.title')} extra={!phone && picker} styles={{ body: { paddingTop: phone ? 12 : 8 } }}>
      {phone && <div style={{ marginBottom: 8 }}>{picker}</div>}
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k })}
        destroyOnHidden
        items={visible.map((k) => ({
          key: k,
          label: (
            <span data-testid={`care-tab-${k}`}>
              {t(`care.tabs.${k}`)}
              {k === 'alerts' && (
                <Badge
                  count={openAlerts.data?.items.length ?? 0}
                  size="small"
                  offset={[4, -2]}
                  data-testid="care-alerts-count"
                />
              )}
            </span>
          ),
          children: body(k),
        }))}
      />
    </Card>
  );
}
