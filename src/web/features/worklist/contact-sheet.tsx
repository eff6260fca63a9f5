import { CheckCircleOutlined, FormOutlined, PhoneOutlined, WarningOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Segmented, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ContactOutcome, contactChannels } from '../../../shared/care.ts';
import { CircleCall } from './circle-call.tsx';
import { recordContact } from './outbox.ts';
import { type Channel, defaultChannel, type WorklistItem } from './types.ts';

const notReached: ContactOutcome[] = [
  'not_reached_no_answer',
  'not_reached_busy',
  'not_reached_wrong_number',
  'not_reached_away',
];

const big = { height: 56, fontSize: 18 } as const;

interface Props {
  item: WorklistItem | null;
  onClose: () => void;
  onFullForm: (item: WorklistItem, preset: { channel: Channel; outcome?: ContactOutcome }) => void;
  onSaved: (result: 'saved' | 'queued') => void;
}

/**
 * The outcome in at most three taps: the card opened this sheet (1), then 已联系·平安 (2) — or 未接通
 * (2) and the reason (3). Anything more goes to the full visit form.
 */
export function ContactSheet({ item, onClose, onFullForm, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [channel, setChannel] = useState<Channel>('phone');
  const [step, setStep] = useState<'outcome' | 'reason' | 'circle'>('outcome');
  const [result, setResult] = useState<'saved' | 'queued'>('saved');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!item) return;
    setChannel(defaultChannel(item));
    setStep('outcome');
  }, [item]);

  async function save(outcome: ContactOutcome) {
    if (!item) return;
    setBusy(true);
    try {
      const result = await recordContact(
        { elderId: item.elderId, dutyId: item.id, channel, outcome, needs: [] },
        { elderName: item.elderName, dutyName: item.templateName },
      );
      void message.success(result === 'saved' ? t('worklist.quick.saved') : t('worklist.quick.queued'));
      // not reached: the elder's circle is the next call to make (online: the numbers come from the
      // server; a record queued offline closes the sheet as before)
      if (notReached.includes(outcome) && result === 'saved') {
        setResult(result);
        setStep('circle');
      } else onSaved(result);
    } catch (err) {
      void message.error(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const phone = item?.phones[0];
  return (
    <Drawer
      placement="bottom"
      open={item != null}
      onClose={onClose}
      size="auto"
      title={item ? t('worklist.quick.title', { name: item.elderName, duty: item.templateName }) : ''}
      styles={{ body: { paddingTop: 8 } }}
      data-testid="contact-sheet"
    >
      {item && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Segmented<Channel>
            block
            value={channel}
            onChange={setChannel}
            options={contactChannels.map((c) => ({ value: c, label: t(`worklist.channels.${c}`) }))}
            data-testid="sheet-channel"
          />
          {step === 'outcome' ? (
            <>
              {phone && channel === 'phone' && (
                <Button block href={`tel:${phone}`} icon={<PhoneOutlined />} style={big}>
                  {t('worklist.call')} {phone}
                </Button>
              )}
              <Button
                block
                type="primary"
                icon={<CheckCircleOutlined />}
                style={{ ...big, background: '#389e0d' }}
                loading={busy}
                onClick={() => void save('reached_ok')}
                data-testid="outcome-ok"
              >
                {t('worklist.quick.okFine')}
              </Button>
              <Button
                block
                style={big}
                icon={<WarningOutlined />}
                onClick={() => onFullForm(item, { channel, outcome: 'reached_concern' })}
                data-testid="outcome-concern"
              >
                {t('worklist.quick.concern')}
              </Button>
              <Button
                block
                danger
                style={big}
                onClick={() => setStep('reason')}
                data-testid="outcome-not-reached"
              >
                {t('worklist.quick.notReached')}
              </Button>
              <Button
                block
                type="link"
                icon={<FormOutlined />}
                onClick={() => onFullForm(item, { channel })}
                data-testid="outcome-full"
              >
                {t('worklist.quick.fullForm')}
              </Button>
            </>
          ) : step === 'circle' ? (
            <>
              <CircleCall dutyId={item.id} />
              <Button block style={big} onClick={() => onSaved(result)} data-testid="circle-done">
                {t('worklist.circle.done')}
              </Button>
            </>
          ) : (
            <>
              <Typography.Text style={{ color: '#595959', fontSize: 14 }}>
                {t('worklist.quick.whyNotReached')}
              </Typography.Text>
              <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
                {notReached.map((o) => (
                  <Button
                    key={o}
                    style={big}
                    loading={busy}
                    onClick={() => void save(o)}
                    data-testid={`reason-${o}`}
                  >
                    {t(`worklist.outcomes.${o}`)}
                  </Button>
                ))}
              </div>
            </>
          )}
        </Space>
      )}
    </Drawer>
  );
}
