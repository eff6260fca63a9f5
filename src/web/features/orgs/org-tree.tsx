import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Popconfirm, Space, Tag, Tree, type TreeDataNode } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Org, orgKindChildren } from '../../../shared/orgs.ts';
import { ApiError } from '../../lib/api.ts';
import { buildForest, type OrgNode } from '../../lib/orgs.ts';
import type { OrgEdit } from './org-form-modal.tsx';
import { deleteOrg, orgsRootKey } from './orgs-api.ts';

// opened at first: the levels above communities, so a large city does not unfold thousands of grids
const openKinds = new Set(['city', 'district', 'street', 'unit']);

interface Props {
  items: Org[];
  canEdit: boolean;
  onEdit: (e: OrgEdit) => void;
}

/** One org tree; admins get add child / rename / delete on each node. */
export function OrgTree({ items, canEdit, onEdit }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const forest = useMemo(() => buildForest(items), [items]);
  const [expanded, setExpanded] = useState<React.Key[] | null>(null);
  const expandedKeys = expanded ?? items.filter((o) => openKinds.has(o.kind)).map((o) => o.id);

  const remove = useMutation({
    mutationFn: (id: number) => deleteOrg(id),
    onSuccess: async () => {
      message.success(t('orgs.deleted'));
      await qc.invalidateQueries({ queryKey: orgsRootKey });
    },
    onError: (e) =>
      modal.error({ title: t('orgs.deleteFailed'), content: e instanceof ApiError ? e.message : String(e) }),
  });

  const toData = (nodes: OrgNode[]): TreeDataNode[] =>
    nodes.map((n) => ({ key: n.id, title: n.name, children: toData(n.children) }));
  const byId = useMemo(() => new Map(items.map((o) => [o.id, o])), [items]);

  const titleRender = (node: TreeDataNode) => {
    const org = byId.get(Number(node.key))!;
    const childKinds = orgKindChildren[org.kind] ?? [];
    return (
      <Space size={4} wrap data-testid={`org-node-${org.id}`} data-org-name={org.name}>
        <span>{org.name}</span>
        <Tag bordered={false} color="processing">
          {t(`orgKind.${org.kind}`)}
        </Tag>
        {canEdit && (
          // biome-ignore lint/a11y/noStaticElementInteractions: keeps the button clicks from selecting the node
          // biome-ignore lint/a11y/useKeyWithClickEvents: the buttons inside handle the keyboard
          <span onClick={(e) => e.stopPropagation()}>
            {childKinds.length > 0 && (
              <Button
                size="small"
                type="link"
                icon={<PlusOutlined />}
                aria-label={t('orgs.addChild')}
                title={t('orgs.addChild')}
                data-testid="org-add-child"
                onClick={() => {
                  setExpanded([...expandedKeys, org.id]);
                  onEdit({ mode: 'add', tree: org.tree, parent: org });
                }}
              />
            )}
            <Button
              size="small"
              type="link"
              icon={<EditOutlined />}
              aria-label={t('orgs.rename')}
              title={t('orgs.rename')}
              data-testid="org-rename"
              onClick={() => onEdit({ mode: 'rename', org })}
            />
            <Popconfirm
              title={t('orgs.deleteConfirm', { name: org.name })}
              okText={t('common.delete')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => remove.mutate(org.id)}
            >
              <Button
                size="small"
                type="link"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('orgs.delete')}
                title={t('orgs.delete')}
                data-testid="org-delete"
              />
            </Popconfirm>
          </span>
        )}
      </Space>
    );
  };

  if (items.length === 0) return <Empty description={t('orgs.empty')} />;
  return (
    <Tree
      blockNode
      showLine
      selectable={false}
      treeData={toData(forest)}
      expandedKeys={expandedKeys}
      onExpand={(keys) => setExpanded(keys)}
      titleRender={titleRender}
    />
  );
}
