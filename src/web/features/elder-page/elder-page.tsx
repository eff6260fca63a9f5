import { CheckCircleFilled, PhoneFilled, SmileFilled, WarningFilled } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { type CSSProperties, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { TIME_ZONE } from '../../lib/i18n.ts';
import { checkIn, elderPageKey, type PageData, reportFalseAlarm, useElderPage } from './elder-page-api.ts';
import { HoldButton } from './hold-button.tsx';
import { useQueuedSos } from './sos-queue.ts';

// 适老化 (MIIT 2021): body text ≥ 18 pt (24 px), key functions ≥ 30 pt (40 px), line height ≥ 1.3,
// contrast ≥ 4.5:1, touch targets ≥ 60×60, colour never the only signal, no pop-ups, nothing that
// changes on its own: the page is read once and changes only when the elder presses something.
const ink = '#1a1a1a';
const body: CSSProperties = { fontSize: 24, lineHeight: 1.5, color: ink, margin: 0 };
const bigButton: CSSProperties = {
  width: '100%',
  boxSizing: 'border-box',
  minHeight: 120,
  border: 'none',
  borderRadius: 16,
  color: '#ffffff',
  fontSize: 40,
  lineHeight: 1.3,
  fontWeight: 700,
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'center',
  gap: 16,
  padding: '16px 20px',
  cursor: 'pointer',
};
const okGreen = '#1b5e20';
const sosRed = '#a50e0e';

function Notice({
  icon,
  color,
  children,
  testId,
}: {
  icon: React.ReactNode;
  color: string;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <p
      role="status"
      data-testid={testId}
      style={{ ...body, display: 'flex', gap: 12, alignItems: 'flex-start', color, fontWeight: 600 }}
    >
      <span style={{ flex: 'none' }}>{icon}</span>
      <span>{children}</span>
    </p>
  );
}

export function ElderModePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const qc = useQueryClient();
  const key = elderPageKey(token);
  const page = useElderPage(token);
  const ok = useMutation({
    mutationFn: () => checkIn(token),
    onSuccess: () => qc.setQueryData<PageData>(key, (d) => d && { ...d, checkedInToday: true }),
  });
  const { state: sos, press: pressSos } = useQueuedSos(token);
  const oops = useMutation({
    mutationFn: () => reportFalseAlarm(token),
    onSuccess: () => qc.setQueryData<PageData>(key, (d) => d && { ...d, falseAlarmReported: true }),
  });
  const [releasedEarly, setReleasedEarly] = useState(false);

  const shell = (children: React.ReactNode) => (
    <main
      data-testid="elder-page"
      style={{
        maxWidth: 560,
        margin: '0 auto',
        minHeight: '100vh',
        padding: 20,
        background: '#ffffff',
        color: ink,
        display: 'flex',
        flexDirection: 'column',
        gap: 24,
        boxSizing: 'border-box',
      }}
    >
      <p style={{ ...body, fontWeight: 600 }}>{t('elder-page.brand')}</p>
      {children}
    </main>
  );

  const call120 = (
    <a href="tel:120" style={{ ...bigButton, background: sosRed, textDecoration: 'none' }}>
      <PhoneFilled /> {t('elder-page.call120')}
    </a>
  );
  if (page.isPending) {
    if (page.failureCount === 0) return shell(<p style={body}>{t('elder-page.loading')}</p>);
    return shell(
      <>
        <Notice icon={<WarningFilled />} color={ink} testId="elder-offline">
          {t('elder-page.offline')}
        </Notice>
        {call120}
      </>,
    );
  }
  if (page.isError) {
    return shell(
      <>
        <Notice icon={<WarningFilled />} color={sosRed} testId="elder-gone">
          {t('elder-page.gone')}
        </Notice>
        {call120}
      </>,
    );
  }
  const d = page.data;
  const sosDone = sos.phase === 'sent';
  const sosQueued = sos.phase === 'sending' || sos.phase === 'waiting' || sos.phase === 'gave_up';
  const sosHeld = sosDone || d.openIncident;

  return shell(
    <>
      <h1 style={{ ...body, fontSize: 40, lineHeight: 1.3, fontWeight: 700 }} data-testid="elder-hello">
        {t('elder-page.hello', { name: d.name })}
      </h1>
      <p style={body}>{t('elder-page.today', { date: dayjs().tz(TIME_ZONE).format('M月D日') })}</p>

      <section style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
        {d.checkedInToday ? (
          <Notice icon={<CheckCircleFilled />} color={okGreen} testId="elder-ok-done">
            {t('elder-page.okDone')}
          </Notice>
        ) : (
          <>
            <button
              type="button"
              data-testid="elder-ok"
              style={{ ...bigButton, background: okGreen }}
              disabled={ok.isPending}
              onClick={() => ok.mutate()}
            >
              <SmileFilled /> {ok.isPending ? t('elder-page.okSending') : t('elder-page.ok')}
            </button>
            <p style={body}>{t('elder-page.okHint')}</p>
          </>
        )}
        {ok.isError && (
          <Notice icon={<WarningFilled />} color={sosRed}>
            {t('elder-page.failed', { message: (ok.error as Error).message })}
          </Notice>
        )}
      </section>

      <section style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
        {sosQueued ? (
          <>
            <Notice icon={<PhoneFilled />} color={sosRed} testId="elder-sos-queued">
              {sos.phase === 'gave_up'
                ? t('elder-page.sosNotYet')
                : sos.attempts <= 1
                  ? t('elder-page.sosSending')
                  : t('elder-page.sosRetrying', { n: sos.attempts })}
            </Notice>
            {sos.phase === 'gave_up' && (
              <button
                type="button"
                data-testid="elder-sos-retry"
                style={{ ...bigButton, background: ink }}
                onClick={pressSos}
              >
                {t('elder-page.sosRetry')}
              </button>
            )}
            {call120}
          </>
        ) : sosHeld ? (
          <>
            <Notice icon={<PhoneFilled />} color={sosRed} testId="elder-sos-done">
              {sosDone
                ? `${t('elder-page.sosSent')} ${t('elder-page.sosSentHint')}`
                : t('elder-page.sosOpen')}
            </Notice>
            {d.falseAlarmReported ? (
              <Notice icon={<CheckCircleFilled />} color={ink} testId="elder-oops-done">
                {t('elder-page.oopsDone')}
              </Notice>
            ) : (
              <>
                <button
                  type="button"
                  data-testid="elder-oops"
                  style={{ ...bigButton, background: '#424242' }}
                  disabled={oops.isPending}
                  onClick={() => oops.mutate()}
                >
                  {t('elder-page.oops')}
                </button>
                <p style={body}>{t('elder-page.oopsHint')}</p>
              </>
            )}
            {oops.isError && (
              <Notice icon={<WarningFilled />} color={sosRed}>
                {t('elder-page.failed', { message: (oops.error as Error).message })}
              </Notice>
            )}
          </>
        ) : (
          <HoldButton
            testId="elder-sos"
            holdMs={2000}
            style={{ ...bigButton, background: sosRed, minHeight: 140 }}
            onConfirm={() => {
              setReleasedEarly(false);
              pressSos();
            }}
            onReleasedEarly={() => setReleasedEarly(true)}
          >
            {(holding) => (
              <span style={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-start' }}>
                <span>{t('elder-page.sos')}</span>
                <span style={{ fontSize: 24, lineHeight: 1.5, fontWeight: 600 }}>
                  {holding ? t('elder-page.sosHolding') : t('elder-page.sosHold')}
                </span>
              </span>
            )}
          </HoldButton>
        )}
        {releasedEarly && sos.phase === 'idle' && (
          <Notice icon={<WarningFilled />} color={ink} testId="elder-sos-released">
            {t('elder-page.sosReleased')}
          </Notice>
        )}
        {sos.phase === 'refused' && (
          <Notice icon={<WarningFilled />} color={sosRed}>
            {t('elder-page.failed', { message: sos.message })}
          </Notice>
        )}
        {d.callList.length === 0 ? (
          <p style={body} data-testid="elder-call-list">
            {t('elder-page.nobody')}
          </p>
        ) : (
          <>
            <p style={body}>{t('elder-page.willCall')}</p>
            <ol style={{ ...body, paddingInlineStart: 36 }} data-testid="elder-call-list">
              {d.callList.map((c) => (
                <li key={`${c.role}-${c.name}`}>{c.name || t(`elder-page.role.${c.role}`)}</li>
              ))}
            </ol>
          </>
        )}
        {d.emergencyNumber && (
          <p style={body} data-testid="elder-then-emergency">
            {t('elder-page.thenEmergency', { number: d.emergencyNumber })}
          </p>
        )}
      </section>
    </>,
  );
}
