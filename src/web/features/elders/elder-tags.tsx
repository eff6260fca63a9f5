import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { elderStatuses } from '../../../shared/elders.ts';

const statusColor: Record<(typeof elderStatuses)[number], string> = {
  active: 'green',
  hospitalised: 'orange',
  moved_away: 'default',
  deceased: 'default',
};

export function StatusTag({ status }: { status: (typeof elderStatuses)[number] }) {
  const { t } = useTranslation();
  return <Tag color={statusColor[status]}>{t(`elders.status.${status}`)}</Tag>;
}

export function LevelTag({ level }: { level: number | null }) {
  const { t } = useTranslation();
  if (level == null) return null;
  const color = ['green', 'lime', 'gold', 'orange', 'red'][level] ?? 'default';
  return <Tag color={color}>{t(`elders.level.${level}`)}</Tag>;
}
