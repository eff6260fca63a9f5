import {
  type AnswerOptions,
  askedQuestions,
  type FormAnswers,
  type FormDefinition,
  type FormOutcome,
  formOutcomes,
  normaliseAnswers,
} from '../../../shared/forms.ts';

/**
 * The arithmetic of a campaign's live progress and results (issue 14, deliverables 4 and 5), pure so
 * that the counts on the dashboard and the named list behind them come from one definition.
 *
 * A task is one elder to screen. `assigned`: nobody has answered yet; `answered`: the form was filled
 * in; `not_reached`: tried, not reached — still to do; `refused`: the elder declined — done, a refusal
 * is an answer. So a task is *done* when answered or refused, and *unreached* otherwise (the list a
 * coordinator chases before the deadline); it is *overdue* when unreached at or after its due instant
 * (a deadline is the instant it passes, as work-order clocks breach at theirs, decision 0018).
 */

export const taskStates = ['assigned', 'answered', 'not_reached', 'refused'] as const;
export type TaskState = (typeof taskStates)[number];
export const taskStateNames: Record<TaskState, string> = {
  assigned: '待排查',
  answered: '已填答',
  not_reached: '未联系上',
  refused: '拒绝',
};

export interface ProgressTask {
  /** the elder's org node, materialised ('/1/4/9/22/'): a community or a grid */
  orgPath: string;
  assigneeId: number | null;
  state: TaskState;
  dueAt: Date;
}

export interface ProgressCounts {
  /** every task of the campaign under the node */
  assigned: number;
  /** not tried yet (state `assigned`) */
  pending: number;
  answered: number;
  notReached: number;
  refused: number;
  /** unreached (pending or not reached) at or after the due instant */
  overdue: number;
  /** (answered + refused) / assigned, 0–1; null when nothing is assigned */
  completionRate: number | null;
}

const isDone = (s: TaskState) => s === 'answered' || s === 'refused';
export const isOverdue = (t: ProgressTask, now: Date) =>
  !isDone(t.state) && now.getTime() >= t.dueAt.getTime();

const zero = (): ProgressCounts => ({
  assigned: 0,
  pending: 0,
  answered: 0,
  notReached: 0,
  refused: 0,
  overdue: 0,
  completionRate: null,
});

function add(c: ProgressCounts, t: ProgressTask, now: Date): void {
  c.assigned++;
  if (t.state === 'assigned') c.pending++;
  else if (t.state === 'answered') c.answered++;
  else if (t.state === 'not_reached') c.notReached++;
  else c.refused++;
  if (isOverdue(t, now)) c.overdue++;
}

function counter<K>(rows: Map<K, ProgressCounts>, k: K): ProgressCounts {
  let c = rows.get(k);
  if (!c) {
    c = zero();
    rows.set(k, c);
  }
  return c;
}

function finish(c: ProgressCounts): ProgressCounts {
  c.completionRate = c.assigned ? (c.answered + c.refused) / c.assigned : null;
  return c;
}

/** '/1/4/9/' → ['/1/', '/1/4/', '/1/4/9/'] */
export function ancestorPaths(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`);
}

export interface NodeProgress extends ProgressCounts {
  orgPath: string;
}

/**
 * Progress per org node, each task counted at its own node and every node above it, down to the grid.
 * `root` keeps the nodes at and under it (a street's coordinator sees the street and below); `nodes`
 * lists nodes to show even with no task (a grid with nobody to screen shows 0, not nothing).
 * Rows in tree order (a node before its children).
 */
export function progressByOrg(
  tasks: readonly ProgressTask[],
  now: Date,
  opts: { root?: string; nodes?: readonly string[] } = {},
): NodeProgress[] {
  const within = (p: string) => !opts.root || p.startsWith(opts.root);
  const rows = new Map<string, ProgressCounts>();
  for (const n of opts.nodes ?? []) if (within(n)) rows.set(n, zero());
  for (const t of tasks) {
    if (!within(t.orgPath)) continue;
    for (const p of ancestorPaths(t.orgPath)) {
      if (!within(p)) continue;
      add(counter(rows, p), t, now);
    }
  }
  return [...rows]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([orgPath, c]) => ({ orgPath, ...finish(c) }));
}

export interface AssigneeProgress extends ProgressCounts {
  /** null: not assigned to anyone yet */
  assigneeId: number | null;
}

/** Progress per assignee, most overdue first, then most unreached, then by id (unassigned last). */
export function progressByAssignee(tasks: readonly ProgressTask[], now: Date): AssigneeProgress[] {
  const rows = new Map<number | null, ProgressCounts>();
  for (const t of tasks) {
    add(counter(rows, t.assigneeId), t, now);
  }
  const unreached = (c: ProgressCounts) => c.pending + c.notReached;
  return [...rows]
    .map(([assigneeId, c]) => ({ assigneeId, ...finish(c) }))
    .sort(
      (a, b) =>
        b.overdue - a.overdue ||
        unreached(b) - unreached(a) ||
        (a.assigneeId ?? Number.MAX_SAFE_INTEGER) - (b.assigneeId ?? Number.MAX_SAFE_INTEGER),
    );
}

/** The whole campaign (or any list of tasks) as one row. */
export function progressTotals(tasks: readonly ProgressTask[], now: Date): ProgressCounts {
  const c = zero();
  for (const t of tasks) add(c, t, now);
  return finish(c);
}

/**
 * The named list of who is still unreached under a node (every node when `root` is absent): overdue
 * first, then the earliest due, never tried before tried and not reached, then as given. Its length
 * under a node is that node's `pending + notReached`, and its overdue ones are the node's `overdue`.
 */
export function unreachedList<T extends ProgressTask>(
  tasks: readonly T[],
  now: Date,
  root?: string,
): { task: T; overdue: boolean }[] {
  return tasks
    .map((task, i) => ({ task, i, overdue: isOverdue(task, now) }))
    .filter(({ task }) => !isDone(task.state) && (!root || task.orgPath.startsWith(root)))
    .sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        a.task.dueAt.getTime() - b.task.dueAt.getTime() ||
        Number(a.task.state !== 'assigned') - Number(b.task.state !== 'assigned') ||
        a.i - b.i,
    )
    .map(({ task, overdue }) => ({ task, overdue }));
}

// ---- results ----

export interface ResultSubmission {
  outcome: FormOutcome;
  refusedAt?: string;
  answers: FormAnswers;
}

interface SummaryBase {
  question: string;
  label: string;
  /** submissions in which the question was asked (shown, and before the form ended) */
  asked: number;
  /** of those, the ones with an answer */
  answered: number;
}
export type QuestionSummary = SummaryBase &
  (
    | { type: 'single' | 'multiple'; options: { value: string; label: string; count: number }[] }
    | { type: 'yes_no'; yes: number; no: number }
    | { type: 'number'; unit: string | null; min: number | null; median: number | null; max: number | null }
    | { type: 'text' }
    | { type: 'date'; earliest: string | null; latest: string | null }
  );

export interface ResultsSummary {
  submissions: number;
  outcomes: Record<FormOutcome, number>;
  questions: QuestionSummary[];
}

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Per question, the counts of a form's answers: each option (a multiple choice counts each elder once
 * per option chosen), yes and no, min / median / max of a number, earliest and latest date. Only answers
 * to questions asked count (hidden and after the end are dropped, as `normaliseAnswers` does), so the
 * answers of a refusal part-way through count as far as they go.
 */
export function summariseResults(
  def: FormDefinition,
  submissions: readonly ResultSubmission[],
): ResultsSummary {
  const outcomes = Object.fromEntries(formOutcomes.map((o) => [o, 0])) as Record<FormOutcome, number>;
  const asked = new Map<string, number>();
  const values = new Map<string, unknown[]>(def.questions.map((q) => [q.id, []]));
  for (const s of submissions) {
    outcomes[s.outcome]++;
    const opts: AnswerOptions = { outcome: s.outcome, refusedAt: s.refusedAt };
    const kept = normaliseAnswers(def, s.answers, opts);
    for (const q of askedQuestions(def, s.answers, opts)) {
      asked.set(q.id, (asked.get(q.id) ?? 0) + 1);
      if (kept[q.id] !== undefined) values.get(q.id)!.push(kept[q.id]);
    }
  }
  const questions = def.questions.map((q): QuestionSummary => {
    const vs = values.get(q.id)!;
    const base = { question: q.id, label: q.label, asked: asked.get(q.id) ?? 0 };
    switch (q.type) {
      case 'single':
      case 'multiple': {
        const chosen = vs.flatMap((v) => (Array.isArray(v) ? [...new Set(v)] : [v]));
        const options = q.options.map((o) => ({
          value: o.value,
          label: o.label,
          count: chosen.filter((x) => x === o.value).length,
        }));
        return { ...base, answered: vs.length, type: q.type, options };
      }
      case 'yes_no': {
        const bs = vs.filter((v): v is boolean => typeof v === 'boolean');
        const yes = bs.filter(Boolean).length;
        return { ...base, answered: bs.length, type: 'yes_no', yes, no: bs.length - yes };
      }
      case 'number': {
        const ns = vs.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        return {
          ...base,
          answered: ns.length,
          type: 'number',
          unit: q.unit ?? null,
          min: ns.length ? Math.min(...ns) : null,
          median: median(ns),
          max: ns.length ? Math.max(...ns) : null,
        };
      }
      case 'text':
        return { ...base, answered: vs.length, type: 'text' };
      default: {
        const ds = vs.filter((v): v is string => typeof v === 'string').sort();
        return {
          ...base,
          answered: ds.length,
          type: 'date',
          earliest: ds[0] ?? null,
          latest: ds.at(-1) ?? null,
        };
      }
    }
  });
  return { submissions: submissions.length, outcomes, questions };
}
