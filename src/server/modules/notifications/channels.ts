import type { GatewayConfig, NotifyConfig } from '../../platform/config.ts';
import type { NotificationRow } from './notifications.repo.ts';

/**
 * Delivery channels. SMS and voice go through a configurable HTTP gateway (URL, headers and a body
 * template from NOTIFY_SMS_* / NOTIFY_VOICE_*), so any vendor works without code; webhook posts the
 * message as JSON to NOTIFY_WEBHOOK_URL; console prints (development). In-app messages are delivered
 * by the SSE hub when they are created and never reach this file.
 */
export class DeliveryError extends Error {}

const fill = (template: string, vars: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => JSON.stringify(vars[k] ?? '').slice(1, -1));

async function post(url: string, headers: Record<string, string>, body: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new DeliveryError(`gateway unreachable: ${(err as Error).message}`);
  }
  if (!res.ok) throw new DeliveryError(`gateway answered ${res.status}`);
}

export type ConsoleSink = (line: string) => void;
let consoleSink: ConsoleSink = (line) => console.log(line);
/** Tests capture console deliveries. */
export function setConsoleSink(sink: ConsoleSink): void {
  consoleSink = sink;
}

export async function deliver(
  n: Pick<
    NotificationRow,
    'channel' | 'address' | 'body' | 'subjectKind' | 'subjectId' | 'incidentId' | 'recipientLabel'
  >,
  cfg: NotifyConfig,
  extra: { link?: string; code?: string } = {},
): Promise<void> {
  const vars = { to: n.address, text: n.body, link: extra.link ?? '', code: extra.code ?? '' };
  const viaGateway = async (g: GatewayConfig | undefined, what: string) => {
    if (g) return post(g.url, g.headers, fill(g.bodyTemplate, vars));
    if (cfg.consoleFallback) return consoleSink(`[${what} → ${n.recipientLabel} ${n.address}] ${n.body}`);
    throw new DeliveryError(`${what} gateway not configured`);
  };
  switch (n.channel) {
    case 'sms':
      return viaGateway(cfg.sms, 'SMS 短信');
    case 'voice':
      return viaGateway(cfg.voice, 'voice 语音');
    case 'webhook': {
      const url = cfg.webhookUrl;
      if (!url) {
        if (cfg.consoleFallback) return consoleSink(`[webhook → ${n.recipientLabel}] ${n.body}`);
        throw new DeliveryError('webhook URL not configured');
      }
      // `incidentId` as before for an incident's messages; `subject` says what any message is about
      const about = n.incidentId != null ? { incidentId: n.incidentId } : {};
      const subject = { kind: n.subjectKind, id: n.subjectId };
      return post(url, {}, JSON.stringify({ ...about, subject, to: n.recipientLabel, text: n.body }));
    }
    case 'console':
      return consoleSink(`[console → ${n.recipientLabel}] ${n.body}`);
    default:
      throw new DeliveryError(`unknown channel ${n.channel}`);
  }
}
