import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

interface Props {
  rows: { id: number; name: string; share: number | null }[];
  target: string;
  onPick: (id: number) => void;
}

/** Coverage by child org as horizontal bars with the 100 % target line; a click on a bar drills down. */
export function ShareBar({ rows, target, onPick }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    const data = [...rows].reverse();
    chart.setOption({
      grid: { left: 8, right: 48, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v}%` },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: {
        type: 'category',
        data: data.map((r) => r.name),
        axisLabel: { width: 90, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          data: data.map((r) => ({
            value: r.share == null ? 0 : Math.round(r.share * 1000) / 10,
            itemStyle: {
              color:
                r.share == null
                  ? '#d9d9d9'
                  : r.share >= 1
                    ? '#52c41a'
                    : r.share >= 0.8
                      ? '#faad14'
                      : '#ff4d4f',
            },
          })),
          label: { show: true, position: 'right', formatter: '{c}%' },
          markLine: {
            symbol: 'none',
            data: [{ xAxis: 100, name: target }],
            lineStyle: { type: 'dashed', color: '#1677ff' },
            label: { formatter: target },
          },
        },
      ],
    });
    chart.on('click', (p) => {
      const row = data[p.dataIndex as number];
      if (row) pick.current(row.id);
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      chart.dispose();
    };
  }, [rows, target]);

  return (
    <div
      ref={el}
      data-testid="coverage-chart"
      style={{ width: '100%', height: Math.max(120, rows.length * 36 + 40) }}
    />
  );
}
