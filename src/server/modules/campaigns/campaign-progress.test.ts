import { describe, expect, it } from 'vitest';
import { formDefinitionSchema } from '../../../shared/forms.ts';
import {
  ancestorPaths,
  median,
  type ProgressTask,
  progressByAssignee,
  progressByOrg,
  progressTotals,
  summariseResults,
  type TaskState,
  unreachedList,
} from './campaign-progress.ts';

/** a Shanghai wall-clock instant written 'YYYY-MM-DD HH:MM' */
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const deadline = sh('2026-12-10 18:00');
const now = sh('2026-12-08 09:00');

// district /1/ › street /1/2/ › communities /1/2/3/ and /1/2/4/ › grids /1/2/3/5/ and /1/2/3/6/
let nextElder = 1;
const task = (orgPath: string, state: TaskState, assigneeId: number | null = 7, dueAt = deadline) => ({
  elderId: nextElder++,
  orgPath,
  state,
  assigneeId,
  dueAt,
});
const tasks = [
  task('/1/2/3/5/', 'answered'),
  task('/1/2/3/5/', 'refused'),
  task('/1/2/3/5/', 'not_reached', 7, sh('2026-12-07 18:00')), // overdue
  task('/1/2/3/5/', 'assigned', 7, sh('2026-12-08 09:00')), // due this very instant: overdue
  task('/1/2/3/6/', 'answered', 8, sh('2026-12-01 18:00')), // answered, though past due: not overdue
  task('/1/2/3/6/', 'assigned', 8),
  task('/1/2/3/', 'assigned', null, sh('2026-12-08 08:59')), // on the community itself, unassigned, overdue
  task('/1/2/4/', 'answered', 9),
];

describe('progress per org node', () => {
  it('every task counts at its node and each node above it, down to the grid', () => {
    const rows = progressByOrg(tasks, now);
    expect(rows.map((r) => r.orgPath)).toEqual([
      '/1/',
      '/1/2/',
      '/1/2/3/',
      '/1/2/3/5/',
      '/1/2/3/6/',
      '/1/2/4/',
    ]);
    const grid = rows.find((r) => r.orgPath === '/1/2/3/5/')!;
    expect(grid).toEqual({
      orgPath: '/1/2/3/5/',
      assigned: 4,
      pending: 1,
      answered: 1,
      notReached: 1,
      refused: 1,
      overdue: 2,
      completionRate: 0.5,
    });
    const community = rows.find((r) => r.orgPath === '/1/2/3/')!;
    expect(community).toMatchObject({
      assigned: 7,
      pending: 3,
      answered: 2,
      notReached: 1,
      refused: 1,
      overdue: 3,
    });
    expect(community.completionRate).toBeCloseTo(3 / 7);
    const district = rows[0]!;
    expect(district).toMatchObject({ assigned: 8, answered: 3, refused: 1, overdue: 3, completionRate: 0.5 });
    expect(district).toEqual({ ...progressTotals(tasks, now), orgPath: '/1/' });
  });

  it('a coordinator sees the node and below; nodes without tasks show zero', () => {
    const rows = progressByOrg(tasks, now, { root: '/1/2/3/', nodes: ['/1/2/3/7/', '/1/9/'] });
    expect(rows.map((r) => [r.orgPath, r.assigned, r.completionRate])).toEqual([
      ['/1/2/3/', 7, 3 / 7],
      ['/1/2/3/5/', 4, 0.5],
      ['/1/2/3/6/', 2, 0.5],
      ['/1/2/3/7/', 0, null],
    ]);
  });

  it('overdue moves with now: before every deadline nothing is overdue, after it everything unreached is', () => {
    expect(progressTotals(tasks, sh('2026-12-01 00:00')).overdue).toBe(0);
    expect(progressTotals(tasks, sh('2026-12-10 18:00'))).toMatchObject({
      overdue: 4,
      pending: 3,
      notReached: 1,
    });
  });

  it('ancestor paths of a materialised path', () => {
    expect(ancestorPaths('/1/2/3/')).toEqual(['/1/', '/1/2/', '/1/2/3/']);
    expect(ancestorPaths('/')).toEqual([]);
  });
});

describe('the named list of the unreached', () => {
  it('overdue first, then earliest due, untried before not reached', () => {
    const list = unreachedList(tasks, now);
    expect(list.map((x) => [x.task.elderId, x.overdue])).toEqual([
      [3, true],
      [7, true],
      [4, true],
      [6, false],
    ]);
    const same = [task('/1/', 'not_reached'), task('/1/', 'assigned')];
    expect(unreachedList(same, now).map((x) => x.task.state)).toEqual(['assigned', 'not_reached']);
  });

  it('the list behind every node has as many names as the node counts', () => {
    for (const row of progressByOrg(tasks, now)) {
      const list = unreachedList(tasks, now, row.orgPath);
      expect(list.length, row.orgPath).toBe(row.pending + row.notReached);
      expect(list.filter((x) => x.overdue).length, row.orgPath).toBe(row.overdue);
    }
  });
});

describe('progress per assignee', () => {
  it('the most overdue first; the unassigned named as such', () => {
    expect(
      progressByAssignee(tasks, now).map((r) => [r.assigneeId, r.assigned, r.overdue, r.completionRate]),
    ).toEqual([
      [7, 4, 2, 0.5],
      [null, 1, 1, 0],
      [8, 2, 0, 0.5],
      [9, 1, 0, 1],
    ]);
  });

  it('nothing assigned: no rows, no rate', () => {
    expect(progressByAssignee([] as ProgressTask[], now)).toEqual([]);
    expect(progressTotals([], now).completionRate).toBeNull();
  });
});

describe('results summary', () => {
  const form = formDefinitionSchema.parse({
    title: '节前安全排查',
    version: 1,
    questions: [
      {
        id: 'gas',
        label: '用气安全',
        type: 'multiple',
        options: [
          { value: 'hose', label: '软管老化' },
          { value: 'smell', label: '有异味' },
          { value: 'ok', label: '未发现隐患', exclusive: true },
        ],
      },
      {
        id: 'reported',
        label: '是否已报燃气公司',
        type: 'yes_no',
        showIf: { question: 'gas', op: 'equals', value: 'smell' },
      },
      {
        id: 'heating',
        label: '取暖方式',
        type: 'single',
        options: [
          { value: 'central', label: '集中供暖' },
          { value: 'coal', label: '燃煤' },
        ],
      },
      { id: 'medicine_days', label: '常用药还够几天', type: 'number', unit: '天' },
      { id: 'checked_on', label: '上次检修日期', type: 'date' },
      { id: 'note', label: '其他情况', type: 'text' },
    ],
  });
  const summary = summariseResults(form, [
    {
      outcome: 'answered',
      answers: {
        gas: ['hose', 'smell'],
        reported: true,
        heating: 'coal',
        medicine_days: 3,
        checked_on: '2026-10-01',
      },
    },
    {
      outcome: 'answered',
      answers: { gas: ['smell'], reported: false, heating: 'central', medicine_days: 30, note: '独自过节' },
    },
    // the stale answer to a hidden question does not count
    {
      outcome: 'answered',
      answers: {
        gas: ['ok'],
        reported: true,
        heating: 'central',
        medicine_days: 10,
        checked_on: '2025-11-20',
      },
    },
    { outcome: 'answered', answers: { gas: ['ok'], medicine_days: 7 } },
    // refused at the heating question: gas counts, the rest was not asked
    { outcome: 'refused', refusedAt: 'heating', answers: { gas: ['hose'] } },
    { outcome: 'not_reached', answers: {} },
  ]);
  const q = (id: string) => summary.questions.find((x) => x.question === id)!;

  it('the outcomes of every submission', () => {
    expect(summary.submissions).toBe(6);
    expect(summary.outcomes).toEqual({ answered: 4, not_reached: 1, refused: 1 });
  });

  it('counts per option, of the questions asked', () => {
    expect(q('gas')).toEqual({
      question: 'gas',
      label: '用气安全',
      asked: 5,
      answered: 5,
      type: 'multiple',
      options: [
        { value: 'hose', label: '软管老化', count: 2 },
        { value: 'smell', label: '有异味', count: 2 },
        { value: 'ok', label: '未发现隐患', count: 2 },
      ],
    });
    expect(q('heating')).toMatchObject({ asked: 4, answered: 3, options: [{ count: 2 }, { count: 1 }] });
  });

  it('yes/no counts only where the question was shown', () => {
    expect(q('reported')).toMatchObject({ asked: 2, answered: 2, yes: 1, no: 1 });
  });

  it('number min / median / max, date range, texts answered', () => {
    expect(q('medicine_days')).toMatchObject({ answered: 4, unit: '天', min: 3, median: 8.5, max: 30 });
    expect(q('checked_on')).toMatchObject({ answered: 2, earliest: '2025-11-20', latest: '2026-10-01' });
    expect(q('note')).toMatchObject({ asked: 4, answered: 1 });
  });

  it('no answers: empty statistics, not zeros', () => {
    const empty = summariseResults(form, []);
    expect(empty.questions.find((x) => x.question === 'medicine_days')).toMatchObject({
      asked: 0,
      answered: 0,
      min: null,
      median: null,
      max: null,
    });
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
  });
});
