import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Spin, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError, retryOf } from '../../components/load-error.tsx';
import { useCurrentUser } from '../../lib/auth.ts';
import { useOrgs } from '../../lib/orgs.ts';
import { type OrgEdit, OrgFormModal } from './org-form-modal.tsx';
import { OrgTree } from './org-tree.tsx';

/** 组织架构: the geographic tree and the affiliation tree within the caller's scope. */
export function OrgsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [tree, setTree] = useState<'geo' | 'affiliation'>('geo');
  const [edit, setEdit] = useState<OrgEdit | null>(null);
  const orgs = useOrgs(tree);
  const canEdit = me.role === 'admin';
  // a new root (city, unit) is for administrators who hold a whole tree: a scope at depth one
  const holdsRoot = me.scopes.some((s) => s.path.split('/').length === 3);

  return (
    <Card
      title={t('orgs.title')}
      extra={
        canEdit &&
        holdsRoot && (
          <Button icon={<PlusOutlined />} onClick={() => setEdit({ mode: 'add', tree, parent: null })}>
            {t(tree === 'geo' ? 'orgs.addRootGeo' : 'orgs.addRootAffiliation')}
          </Button>
        )
      }
    >
      {!canEdit && <Alert type="info" showIcon title={t('orgs.readOnly')} style={{ marginBottom: 12 }} />}
      <Tabs
        activeKey={tree}
        onChange={(k) => setTree(k as 'geo' | 'affiliation')}
        items={(['geo', 'affiliation'] as const).map((k) => ({ key: k, label: t(`orgTrees.${k}`) }))}
      />
      {orgs.isPending ? (
        <Spin />
      ) : orgs.isError ? (
        <LoadError {...retryOf(orgs)} />
      ) : (
        <OrgTree key={tree} items={orgs.data} canEdit={canEdit} onEdit={setEdit} />
      )}
      <OrgFormModal edit={edit} onClose={() => setEdit(null)} />
    </Card>
  );
}
