import { Alert, Button, Result } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * What a screen shows when its data could not be loaded: the reason and a 重试 button that asks again.
 * A whole page (default) shows it as a result page; a panel or list inside a page (`inline`) as an alert
 * in its place, so the rest of the page stays usable.
 */
export function LoadError({
  error,
  onRetry,
  inline = false,
  style,
  testId = 'load-error',
}: {
  error: unknown;
  onRetry?: () => void;
  inline?: boolean;
  style?: CSSProperties;
  testId?: string;
}) {
  const { t } = useTranslation();
  const message = error instanceof Error ? error.message : String(error);
  const retry = onRetry ? (
    <Button size={inline ? 'small' : undefined} onClick={onRetry} data-testid={`${testId}-retry`}>
      {t('common.retry')}
    </Button>
  ) : undefined;
  if (inline)
    return <Alert type="error" showIcon title={message} action={retry} style={style} data-testid={testId} />;
  return (
    <Result
      status="error"
      title={t('errors.loadFailed')}
      subTitle={message}
      extra={retry}
      style={style}
      data-testid={testId}
    />
  );
}

/** The query's error with its refetch, as `<LoadError {...retryOf(q)} />` takes them. */
export function retryOf(q: { error: unknown; refetch: () => unknown }) {
  return { error: q.error, onRetry: () => void q.refetch() };
}
