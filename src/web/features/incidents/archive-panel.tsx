import {
  AlertOutlined,
  CheckOutlined,
  HomeOutlined,
  MedicineBoxOutlined,
  PhoneOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons';
import { Button, Card, Descriptions, List, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { formatTime, TIME_ZONE } from '../../lib/i18n.ts';
import type { IncidentDetail, RecentContact } from './incidents-api.ts';
import { fullAddress } from './rules.ts';
import { StateTag } from './tags.tsx';

/** The shape of `archive` as the incidents service assembles it from the registry (elder-facts.ts). */
export interface Archive {
  id: number;
  name: string;
  gender?: string | null;
  birthDate?: string | null;
  phones?: string[] | null;
  address?: string | null;
  building?: string | null;
  unit?: string | null;
  room?: string | null;
  livingSituation?: string | null;
  hearingImpaired?: boolean | null;
  visionImpaired?: boolean | null;
  mobilityImpaired?: boolean | null;
  cognitionImpaired?: boolean | null;
  abilityLevel?: number | null;
  note?: string | null;
  greenCardNo?: string | null;
  greenCardHospital?: string | null;
  medicationNotes?: string | null;
  conditions?: string[];
  medications?: { name: string; dosage: string | null; schedule: string | null }[];
  circle?: { kind: string; name: string; relation: string | null; phones: string[]; priority: number }[];
  familyDoctors?: { name: string; phone: string | null }[];
  communityWorkers?: { name: string; phone: string | null }[];
  hospitalStay?: { hospital: string; admittedOn: string } | null;
  /** the last five contacts from the care ledger, newest first */
  recentContacts?: RecentContact[];
}

/** A phone number to call from the console (tel: link) and a button that records "reached". */
function PhoneLine({ name, phone, onReached }: { name: string; phone: string; onReached: () => void }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <Button
        href={`tel:${phone}`}
        icon={<PhoneOutlined />}
        size="small"
        data-testid="call-link"
        aria-label={`${t('incidents.actions.call')} ${name} ${phone}`}
      >
        {phone}
      </Button>
      <Button size="small" icon={<CheckOutlined />} onClick={onReached} data-testid="mark-reached">
        {t('incidents.actions.reached')}
      </Button>
    </Space>
  );
}

/** Green when the elder was fine, orange for a concern, red when nobody answered, grey otherwise. */
function contactOutcomeColor(outcome: string): string {
  if (outcome === 'reached_ok') return 'green';
  if (outcome === 'reached_concern') return 'orange';
  if (outcome.startsWith('not_reached')) return 'red';
  return 'default';
}

interface Props {
  detail: IncidentDetail;
  onReached: (name: string, phone: string) => void;
}

export function ArchivePanel({ detail, onReached }: Props) {
  const { t } = useTranslation();
  const a = detail.archive as Archive | null;
  if (!a) {
    return (
      <Card size="small" title={t('incidents.archive.title')}>
        {t('incidents.archive.noArchive')}
      </Card>
    );
  }
  const none = <Typography.Text type="secondary">{t('incidents.archive.none')}</Typography.Text>;
  const age = a.birthDate ? dayjs().tz(TIME_ZONE).diff(dayjs(a.birthDate), 'year') : null;
  const flags = (
    [
      ['hearing', a.hearingImpaired],
      ['vision', a.visionImpaired],
      ['mobility', a.mobilityImpaired],
      ['cognition', a.cognitionImpaired],
    ] as const
  ).filter(([, on]) => on);

  return (
    <Card size="small" title={t('incidents.archive.title')} data-testid="incident-archive">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Space size={8} wrap>
          <Typography.Text strong style={{ fontSize: 18 }}>
            {a.name}
          </Typography.Text>
          {a.gender && (
            <Typography.Text>{t(`incidents.gender.${a.gender}`, { defaultValue: '' })}</Typography.Text>
          )}
          {age != null && <Typography.Text>{t('incidents.archive.age', { age })}</Typography.Text>}
          {a.livingSituation && <Tag>{a.livingSituation}</Tag>}
          {a.abilityLevel != null && <Tag>{t(`incidents.ability.${a.abilityLevel}`)}</Tag>}
        </Space>
        {flags.length > 0 && (
          <Space size={4} wrap data-testid="archive-flags">
            <Typography.Text strong>{t('incidents.archive.flags')}：</Typography.Text>
            {flags.map(([k]) => (
              <Tag key={k} color="red" icon={<AlertOutlined />} style={{ fontSize: 14, padding: '2px 8px' }}>
                {t(`incidents.archive.${k}`)}
              </Tag>
            ))}
          </Space>
        )}
        <Descriptions
          size="small"
          column={1}
          bordered
          styles={{ label: { width: 112 } }}
          items={[
            {
              key: 'address',
              label: (
                <>
                  <HomeOutlined /> {t('incidents.archive.address')}
                </>
              ),
              children: (
                <>
                  <span data-testid="archive-address">{fullAddress(a) || none}</span>
                </>
              ),
            },
            {
              key: 'phones',
              label: (
                <>
                  <PhoneOutlined /> {t('incidents.archive.phones')}
                </>
              ),
              children: (
                <>
                  <Space orientation="vertical" size={4}>
                    {(a.phones ?? []).length === 0 && none}
                    {(a.phones ?? []).map((p) => (
                      <PhoneLine key={p} name={a.name} phone={p} onReached={() => onReached(a.name, p)} />
                    ))}
                  </Space>
                </>
              ),
            },
            {
              key: 'conditions',
              label: t('incidents.archive.conditions'),
              children: (
                <>
                  <span data-testid="archive-conditions">
                    {(a.conditions ?? []).length
                      ? (a.conditions ?? []).map((c) => <Tag key={c}>{c}</Tag>)
                      : none}
                  </span>
                </>
              ),
            },
            {
              key: 'medications',
              label: (
                <>
                  <MedicineBoxOutlined /> {t('incidents.archive.medications')}
                </>
              ),
              children: (
                <>
                  {(a.medications ?? []).length === 0 && !a.medicationNotes && none}
                  {(a.medications ?? []).map((m) => (
                    <div key={m.name}>
                      {m.name}
                      {m.dosage ? ` · ${m.dosage}` : ''}
                      {m.schedule ? ` · ${m.schedule}` : ''}
                    </div>
                  ))}
                  {a.medicationNotes && (
                    <Typography.Text type="secondary">{a.medicationNotes}</Typography.Text>
                  )}
                </>
              ),
            },
            {
              key: 'greenCard',
              label: (
                <>
                  <SafetyCertificateOutlined /> {t('incidents.archive.greenCard')}
                </>
              ),
              children: (
                <>
                  {a.greenCardNo
                    ? `${a.greenCardNo}${a.greenCardHospital ? `（${a.greenCardHospital}）` : ''}`
                    : none}
                </>
              ),
            },
            {
              key: 'doctors',
              label: t('incidents.archive.doctors'),
              children: (
                <div data-testid="archive-doctors">
                  {(a.familyDoctors ?? []).length === 0 && none}
                  {(a.familyDoctors ?? []).map((d) => (
                    <Space key={d.name} size={6} wrap>
                      <span>{d.name}</span>
                      {d.phone && (
                        <PhoneLine
                          name={d.name}
                          phone={d.phone}
                          onReached={() => onReached(d.name, d.phone!)}
                        />
                      )}
                    </Space>
                  ))}
                </div>
              ),
            },
            {
              key: 'workers',
              label: t('incidents.archive.communityWorkers'),
              children: (
                <div data-testid="archive-community-workers">
                  {(a.communityWorkers ?? []).length === 0 && none}
                  {(a.communityWorkers ?? []).map((w) => (
                    <Space key={w.name} size={6} wrap>
                      <span>{w.name}</span>
                      {w.phone && (
                        <PhoneLine
                          name={w.name}
                          phone={w.phone}
                          onReached={() => onReached(w.name, w.phone!)}
                        />
                      )}
                    </Space>
                  ))}
                </div>
              ),
            },
          ]}
        />
        {a.hospitalStay && (
          <Tag color="purple">
            {t('incidents.archive.hospitalStay', {
              hospital: a.hospitalStay.hospital,
              date: a.hospitalStay.admittedOn,
            })}
          </Tag>
        )}
        {a.note && <Typography.Text type="secondary">{a.note}</Typography.Text>}

        <div>
          <Typography.Text strong>{t('incidents.archive.circle')}</Typography.Text>
          <List
            size="small"
            data-testid="archive-circle"
            dataSource={a.circle ?? []}
            locale={{ emptyText: t('incidents.archive.none') }}
            renderItem={(c, i) => (
              <List.Item data-testid="circle-member">
                <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
                  <Space size={6} wrap>
                    <Tag>{i + 1}</Tag>
                    <Typography.Text strong>{c.name}</Typography.Text>
                    {c.relation && <Typography.Text>{c.relation}</Typography.Text>}
                    <Typography.Text type="secondary">
                      {t(`incidents.circleKind.${c.kind}`, { defaultValue: c.kind })}
                    </Typography.Text>
                  </Space>
                  {c.phones.map((p) => (
                    <PhoneLine key={p} name={c.name} phone={p} onReached={() => onReached(c.name, p)} />
                  ))}
                </Space>
              </List.Item>
            )}
          />
        </div>

        <div>
          <Typography.Text strong>{t('incidents.archive.recentContacts')}</Typography.Text>
          <List
            size="small"
            data-testid="archive-contacts"
            dataSource={a.recentContacts ?? []}
            locale={{ emptyText: t('incidents.archive.noContacts') }}
            renderItem={(c) => (
              <List.Item data-testid="recent-contact" data-outcome={c.outcome}>
                <Space size={6} wrap>
                  <Typography.Text>{formatTime(c.contactedAt)}</Typography.Text>
                  <Typography.Text strong>{c.carerName}</Typography.Text>
                  <Typography.Text>
                    {t(`incidents.contactChannel.${c.channel}`, { defaultValue: c.channel })}
                  </Typography.Text>
                  <Tag color={contactOutcomeColor(c.outcome)}>
                    {t(`worklist.outcomes.${c.outcome}`, { defaultValue: c.outcome })}
                  </Tag>
                  {c.note && <Typography.Text type="secondary">{c.note}</Typography.Text>}
                </Space>
              </List.Item>
            )}
          />
        </div>

        <div>
          <Typography.Text strong>{t('incidents.archive.recentIncidents')}</Typography.Text>
          <List
            size="small"
            data-testid="archive-recent-incidents"
            dataSource={detail.recentIncidents}
            locale={{ emptyText: t('incidents.archive.none') }}
            renderItem={(i) => (
              <List.Item>
                <Space size={6} wrap>
                  <Typography.Text>{formatTime(i.triggeredAt)}</Typography.Text>
                  <Typography.Text>{t(`incidents.kind.${i.kind}`)}</Typography.Text>
                  <StateTag state={i.state} />
                  {i.outcome && <Typography.Text>{t(`incidents.outcome.${i.outcome}`)}</Typography.Text>}
                </Space>
              </List.Item>
            )}
          />
        </div>
      </Space>
    </Card>
  );
}
