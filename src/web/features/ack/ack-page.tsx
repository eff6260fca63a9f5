import {
  CarOutlined,
  CheckCircleFilled,
  CheckOutlined,
  CloseCircleFilled,
  InfoCircleFilled,
  PhoneOutlined,
  WarningFilled,
} from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../../lib/api.ts';
import { formatMoment } from '../../lib/format-time.ts';
import { currentLang, TIME_ZONE } from '../../lib/i18n.ts';
import { type Reply, sendAck, useAckInfo } from './ack-api.ts';

// Plain elements, no Ant Design: a relative opens this link from an SMS on whatever phone they have,
// and Ant Design's runtime was most of what the page downloaded (decision 0015).
// Long Chinese labels wrap rather than overflow a 360 px phone.
const big: CSSProperties = {
  minHeight: 72,
  width: '100%',
  fontSize: 24,
  lineHeight: 1.4,
  whiteSpace: 'normal',
  border: 'none',
  borderRadius: 8,
  color: '#fff',
  padding: '12px 16px',
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'center',
  gap: 12,
  cursor: 'pointer',
  fontFamily: 'inherit',
};
const blue = '#1677ff';
const red = '#cf1322';
const text: CSSProperties = { fontSize: 20, lineHeight: 1.5, margin: 0, color: '#1a1a1a' };
const hint: CSSProperties = {
  fontSize: 18,
  lineHeight: 1.5,
  textAlign: 'center',
  color: '#434343',
  margin: 0,
};
const tones = {
  success: { color: '#237804', background: '#f6ffed', border: '#b7eb8f', icon: <CheckCircleFilled /> },
  info: { color: '#0958d9', background: '#e6f4ff', border: '#91caff', icon: <InfoCircleFilled /> },
  error: { color: '#a8071a', background: '#fff2f0', border: '#ffccc7', icon: <CloseCircleFilled /> },
};

/** A message box, told by its icon and words as well as its colour. */
function Notice({
  tone,
  children,
  testId,
}: {
  tone: keyof typeof tones;
  children: ReactNode;
  testId?: string;
}) {
  const c = tones[tone];
  return (
    <p
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={testId}
      style={{
        ...text,
        fontSize: 18,
        display: 'flex',
        gap: 10,
        padding: '10px 14px',
        borderRadius: 8,
        border: `1px solid ${c.border}`,
        background: c.background,
      }}
    >
      <span style={{ color: c.color, flex: 'none' }}>{c.icon}</span>
      <span>{children}</span>
    </p>
  );
}

function Call120({ label }: { label: string }) {
  return (
    <a href="tel:120" style={{ ...big, background: red, textDecoration: 'none', fontSize: 22 }}>
      <PhoneOutlined /> {label}
    </a>
  );
}

/** A big result: icon, title, hint, and the 120 call. */
function Outcome(props: { icon: ReactNode; title: ReactNode; hint: ReactNode; call: string }) {
  return (
    <div
      style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 16, padding: '24px 0' }}
    >
      <span style={{ fontSize: 64, lineHeight: 1 }}>{props.icon}</span>
      <p style={{ ...text, fontSize: 24, fontWeight: 600, textAlign: 'center' }}>{props.title}</p>
      <p style={hint}>{props.hint}</p>
      <Call120 label={props.call} />
    </div>
  );
}

/**
 * The one-time link sent to relatives without an account (SMS / voice): one tap, "收到" or
 * "我去看看", and the answer enters the incident's timeline.
 */
export function AckPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const info = useAckInfo(token);
  const ack = useMutation({
    mutationFn: (reply: Reply) => sendAck(token, reply),
  });

  let body: ReactNode;
  if (info.isPending) body = <p style={{ ...text, textAlign: 'center', padding: 32 }}>{t('ack.loading')}</p>;
  else if (info.isError) {
    // unknown, malformed and expired links answer alike (404); anything else is a load failure
    const gone = info.error instanceof ApiError && info.error.status === 404;
    body = (
      <Outcome
        icon={<WarningFilled style={{ color: '#d46b08' }} />}
        title={<span data-testid="ack-gone">{gone ? t('ack.gone') : (info.error as Error).message}</span>}
        hint={t('ack.goneHint')}
        call={t('ack.call120')}
      />
    );
  } else if (ack.isSuccess && ack.data.reply === 'going') {
    body = (
      <Outcome
        icon={<CheckCircleFilled style={{ color: '#237804' }} />}
        title={
          <span data-testid="ack-done">
            {ack.data.reply === 'going' ? t('ack.doneGoing') : t('ack.doneReceived')}
          </span>
        }
        hint={t('ack.doneHint')}
        call={t('ack.call120')}
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
        <p style={text}>{t('ack.intro', { recipient: d.recipient })}</p>
        <p style={{ ...text, fontSize: 22, fontWeight: 600 }} data-testid="ack-what">
          {t('ack.what', {
            elder: d.elderName,
            kind: t(`incidents.kind.${d.kind}`, { defaultValue: d.kindLabel }),
            // as offices write it (12月5日 17:15), not the console's 2026-12-05 17:15
            time: formatMoment(d.triggeredAt, currentLang(), TIME_ZONE),
          })}
        </p>
        {ack.isSuccess && (
          <Notice tone="success" testId="ack-done-received">
            {t('ack.doneReceived')}
          </Notice>
        )}
        {finished && (
          <Notice tone="info" testId="ack-used">
            {t('ack.used')}
          </Notice>
        )}
        {!finished && !d.incidentOpen && <Notice tone="success">{t('ack.closed')}</Notice>}
        {ack.isError && !conflict && <Notice tone="error">{(ack.error as Error).message}</Notice>}
        {!finished && (
          <>
            <p style={text} data-testid="ack-ask">
              {knows ? t('ack.receivedAlready') : t('ack.ask')}
            </p>
            {!knows && (
              <>
                <button
                  type="button"
                  style={{ ...big, background: blue, opacity: ack.isPending ? 0.6 : 1 }}
                  disabled={ack.isPending}
                  aria-busy={ack.isPending && ack.variables === 'received'}
                  onClick={() => ack.mutate('received')}
                  data-testid="ack-received"
                >
                  <CheckOutlined /> <span>{t('ack.received')}</span>
                </button>
                <p style={hint}>{t('ack.receivedHint')}</p>
              </>
            )}
            <button
              type="button"
              style={{ ...big, background: red, opacity: ack.isPending ? 0.6 : 1 }}
              disabled={ack.isPending}
              aria-busy={ack.isPending && ack.variables === 'going'}
              onClick={() => ack.mutate('going')}
              data-testid="ack-going"
            >
              <CarOutlined /> <span>{t('ack.going')}</span>
            </button>
            <p style={hint}>{t('ack.goingHint')}</p>
          </>
        )}
      </div>
    );
  }

  return (
    <main
      style={{
        maxWidth: 480,
        margin: '0 auto',
        padding: 16,
        minHeight: '100vh',
        boxSizing: 'border-box',
        background: '#fff',
        fontFamily:
          'system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
      }}
    >
      <h1 style={{ ...text, fontSize: 24, fontWeight: 600, textAlign: 'center', margin: '8px 0 20px' }}>
        {t('app.name')} · {t('ack.title')}
      </h1>
      {body}
    </main>
  );
}
