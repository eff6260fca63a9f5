import {
  AlertOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  EnvironmentOutlined,
  ExclamationCircleOutlined,
  InfoCircleOutlined,
  RocketOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentState, Severity } from '../../../shared/incidents.ts';

// Colour is never the only signal: every tag carries an icon and a word.
const severityLook: Record<Severity, { color: string; icon: ReactNode }> = {
  critical: { color: 'red', icon: <AlertOutlined /> },
  high: { color: 'volcano', icon: <ExclamationCircleOutlined /> },
  medium: { color: 'gold', icon: <InfoCircleOutlined /> },
  low: { color: 'default', icon: <InfoCircleOutlined /> },
};
const stateLook: Record<IncidentState, { color: string; icon: ReactNode }> = {
  open: { color: 'red', icon: <ClockCircleOutlined /> },
  acknowledged: { color: 'orange', icon: <CheckCircleOutlined /> },
  responder_en_route: { color: 'blue', icon: <RocketOutlined /> },
  on_scene: { color: 'geekblue', icon: <EnvironmentOutlined /> },
  resolved: { color: 'green', icon: <CheckCircleOutlined /> },
  follow_up: { color: 'cyan', icon: <SyncOutlined /> },
};

export function SeverityTag({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  const look = severityLook[severity];
  return (
    <Tag color={look.color} icon={look.icon}>
      {t(`incidents.severity.${severity}`)}
    </Tag>
  );
}

export function StateTag({ state }: { state: IncidentState }) {
  const { t } = useTranslation();
  const look = stateLook[state];
  return (
    <Tag color={look.color} icon={look.icon} data-testid="state-tag" data-state={state}>
      {t(`incidents.state.${state}`)}
    </Tag>
  );
}
