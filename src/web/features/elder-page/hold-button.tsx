import { type CSSProperties, type ReactNode, useEffect, useRef, useState } from 'react';

interface Props {
  holdMs: number;
  onConfirm: () => void;
  /** called when the press ends before the ring is full */
  onReleasedEarly: () => void;
  disabled?: boolean;
  style: CSSProperties;
  children: (holding: boolean) => ReactNode;
  testId?: string;
}

const R = 30;
const CIRCUMFERENCE = 2 * Math.PI * R;

/**
 * A button that acts only when held down for `holdMs`, with a ring that fills while held. A stray
 * tap or a brush of the screen does nothing; letting go early resets it. Works with touch, mouse and
 * the keyboard (Space / Enter held down).
 */
export function HoldButton({ holdMs, onConfirm, onReleasedEarly, disabled, style, children, testId }: Props) {
  const [progress, setProgress] = useState(0);
  const started = useRef<number | null>(null);
  const frame = useRef(0);
  const done = useRef(false);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const tick = () => {
    if (started.current == null) return;
    const p = Math.min(1, (performance.now() - started.current) / holdMs);
    setProgress(p);
    if (p >= 1) {
      started.current = null;
      done.current = true;
      onConfirm();
      return;
    }
    frame.current = requestAnimationFrame(tick);
  };
  const start = () => {
    if (disabled || started.current != null) return;
    done.current = false;
    started.current = performance.now();
    frame.current = requestAnimationFrame(tick);
  };
  const stop = () => {
    if (started.current == null) return;
    cancelAnimationFrame(frame.current);
    started.current = null;
    setProgress(0);
    if (!done.current) onReleasedEarly();
  };

  return (
    <button
      type="button"
      data-testid={testId}
      data-progress={progress.toFixed(2)}
      disabled={disabled}
      style={{ ...style, touchAction: 'none', userSelect: 'none', WebkitUserSelect: 'none' }}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture?.(e.pointerId);
        start();
      }}
      onPointerUp={stop}
      onPointerCancel={stop}
      onLostPointerCapture={stop}
      onKeyDown={(e) => {
        if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) {
          e.preventDefault();
          start();
        }
      }}
      onKeyUp={(e) => {
        if (e.key === ' ' || e.key === 'Enter') stop();
      }}
      onContextMenu={(e) => e.preventDefault()}
    >
      <svg width={80} height={80} viewBox="0 0 80 80" aria-hidden="true" style={{ flex: 'none' }}>
        <circle cx={40} cy={40} r={R} fill="none" stroke="rgba(255,255,255,0.35)" strokeWidth={8} />
        <circle
          cx={40}
          cy={40}
          r={R}
          fill="none"
          stroke="#fff"
          strokeWidth={8}
          strokeLinecap="round"
          strokeDasharray={CIRCUMFERENCE}
          strokeDashoffset={CIRCUMFERENCE * (1 - progress)}
          transform="rotate(-90 40 40)"
        />
        <text x={40} y={50} textAnchor="middle" fontSize={28} fill="#fff" fontWeight={700}>
          !
        </text>
      </svg>
      {children(progress > 0)}
    </button>
  );
}
