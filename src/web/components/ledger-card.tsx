import { Card, List, Space } from 'antd';
import type { ReactNode } from 'react';

/**
 * One ledger of a record as a small card: its rows (each row's facts side by side, wrapping on a phone, with
 * its actions at the end) and, for those who may add to it, the add form under the list.
 */
export function LedgerCard<T extends { id: number | string }>({
  title,
  loading,
  items,
  emptyText,
  row,
  actions,
  addForm,
  testId,
}: {
  title: ReactNode;
  loading: boolean;
  items: T[] | undefined;
  emptyText: ReactNode;
  row: (item: T) => ReactNode;
  /** a row's buttons; none (undefined or empty) leaves the row without an action column */
  actions?: (item: T) => ReactNode[] | undefined;
  addForm?: ReactNode;
  testId?: string;
}) {
  return (
    <Card style={{ marginBottom: 12 }} size="small" title={title} loading={loading} data-testid={testId}>
      <List<T>
        size="small"
        rowKey="id"
        dataSource={items}
        locale={{ emptyText }}
        renderItem={(item) => {
          const a = actions?.(item);
          return (
            <List.Item actions={a && a.length > 0 ? a : undefined}>
              <Space wrap>{row(item)}</Space>
            </List.Item>
          );
        }}
      />
      {addForm}
    </Card>
  );
}
