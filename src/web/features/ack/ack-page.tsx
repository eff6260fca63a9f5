import { CarOutlined, CheckCircleFilled, CheckOutlined, PhoneOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Result, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { z } from 'zod';
import type { ackDoneResponse, ackInfoResponse } from '../../../shared/incidents.ts';
import { ApiError, api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';

type AckInfo = z.infer<typeof ackInfoResponse>;
type AckDone = z.infer<typeof ackDoneResponse>;
type Reply = AckDone['reply'];

// long Chinese labels wrap rather than overflow a 360 px phone
const big = { minHeight: 72, height: 'auto', fontSize: 24, width: '100%', whiteSpace: 'normal' } as const;

/**
 * The one-time link sent to relatives without an account (SMS / voice): one tap, "收到" or
 * "我去看看", and the answer enters the incident's timeline.
 */
export function AckPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const info = useQuery({
    queryKey: ['ack', token],
    queryFn: () => api.get<AckInfo>(`/ack/${encodeURIComponent(token)}`),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const ack = useMutation({
    mutationFn: (reply: Reply) => api.post<AckDone>(`/ack/${encodeURIComponent(token)}`, { reply }),
  });

  let body: React.ReactNode;
  if (info.isPending) body = <Spin size="large" />;
  else if (info.isError) {
    // unknown, malformed and expired links answer alike (404); anything else is a load failure
    const gone = info.error instanceof ApiError && info.error.status === 404;
    body = (
      <Result
        status="warning"
        title={<span data-testid="ack-gone">{gone ? t('ack.gone') : (info.error as Error).message}</span>}
        subTitle={<span style={{ fontSize: 18 }}>{t('ack.goneHint')}</span>}
        extra={
          <Button href="tel:120" size="large" icon={<PhoneOutlined />} danger>
            {t('ack.call120')}
          </Button>
        }
      />
    );
  } else if (ack.isSuccess && ack.data.reply === 'going') {
    body = (
      <Result
        icon={<CheckCircleFilled style={{ color: '#237804' }} />}
        title={
          <span data-testid="ack-done">
            {ack.data.reply === 'going' ? t('ack.doneGoing') : t('ack.doneReceived')}
          </span>
        }
        subTitle={t('ack.doneHint')}
        extra={
          <Button href="tel:120" size="large" icon={<PhoneOutlined />} danger>
            {t('ack.call120')}
          </Button>
        }
      />
    );
  } else {
    const d = info.data;
    const conflict = ack.error instanceof ApiError && ack.error.status === 409;
    const finished = d.reply === 'going' || conflict;
    // "收到" only says the relative knows; they may still take it on with "我去看看"
    const knows = d.reply === 'received' || (ack.isSuccess && ack.data.reply === 'received');
    body = (
      <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
        <Typography.Paragraph style={{ fontSize: 20, margin: 0 }}>
          {t('ack.intro', { recipient: d.recipient })}
        </Typography.Paragraph>
        <Typography.Paragraph style={{ fontSize: 22, margin: 0 }} strong data-testid="ack-what">
          {t('ack.what', {
            elder: d.elderName,
            kind: t(`incidents.kind.${d.kind}`, { defaultValue: d.kindLabel }),
            time: formatTime(d.triggeredAt),
          })}
        </Typography.Paragraph>
        {ack.isSuccess && (
          <Alert type="success" showIcon title={t('ack.doneReceived')} data-testid="ack-done-received" />
        )}
        {finished && <Alert type="info" showIcon title={t('ack.used')} data-testid="ack-used" />}
        {!finished && !d.incidentOpen && <Alert type="success" showIcon title={t('ack.closed')} />}
        {ack.isError && !conflict && <Alert type="error" showIcon title={(ack.error as Error).message} />}
        {!finished && (
          <>
            <Typography.Paragraph style={{ fontSize: 20, margin: 0 }} data-testid="ack-ask">
              {knows ? t('ack.receivedAlready') : t('ack.ask')}
            </Typography.Paragraph>
            {!knows && (
              <>
                <Button
                  type="primary"
                  style={big}
                  icon={<CheckOutlined />}
                  loading={ack.isPending && ack.variables === 'received'}
                  disabled={ack.isPending}
                  onClick={() => ack.mutate('received')}
                  data-testid="ack-received"
                >
                  {t('ack.received')}
                </Button>
                <Typography.Text style={{ fontSize: 18, textAlign: 'center', color: '#434343' }}>
                  {t('ack.receivedHint')}
                </Typography.Text>
              </>
            )}
            <Button
              type="primary"
              danger
              style={big}
              icon={<CarOutlined />}
              loading={ack.isPending && ack.variables === 'going'}
              disabled={ack.isPending}
              onClick={() => ack.mutate('going')}
              data-testid="ack-going"
            >
              {t('ack.going')}
            </Button>
            <Typography.Text style={{ fontSize: 18, textAlign: 'center', color: '#434343' }}>
              {t('ack.goingHint')}
            </Typography.Text>
          </>
        )}
      </div>
    );
  }

  return (
    <main style={{ maxWidth: 480, margin: '0 auto', padding: 16, minHeight: '100vh', background: '#fff' }}>
      <Typography.Title level={3} style={{ textAlign: 'center' }}>
        {t('app.name')} · {t('ack.title')}
      </Typography.Title>
      {body}
    </main>
  );
}
