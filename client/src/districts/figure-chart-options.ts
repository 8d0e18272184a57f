import { formatNumber } from '@domain/units.js';
import type { FigureRow } from './district-figures.js';
import { formatCount, formatShare } from './district-figures.js';
import type { FigureChartOption } from '../ui/echarts-setup.js';

export const CHART_FONT_FAMILY = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";

interface TooltipParameter {
  dataIndex: number;
}

function tooltipText(row: FigureRow): string {
  return [
    `<span style="display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:6px;background:${row.color}"></span><b>${row.label}</b>`,
    `宗数：${formatCount(row.count)} 宗`,
    `面积：${formatNumber(row.areaHectares, 2)} 公顷（${formatShare(row.areaShare)}）`,
  ].join('<br/>');
}

function tooltip(rows: FigureRow[]): FigureChartOption['tooltip'] {
  return {
    trigger: 'item',
    confine: true,
    backgroundColor: 'rgba(255,255,255,0.97)',
    borderColor: '#dcdfe6',
    textStyle: { color: '#303133', fontSize: 12, fontFamily: CHART_FONT_FAMILY },
    formatter: (parameter: unknown) => {
      const row = rows[(parameter as TooltipParameter).dataIndex];
      return row ? tooltipText(row) : '';
    },
  };
}

/** Donut of parcel area (公顷) by efficiency status; colours are the map's. */
export function statusDonutOption(rows: FigureRow[]): FigureChartOption {
  return {
    animationDuration: 400,
    textStyle: { fontFamily: CHART_FONT_FAMILY },
    tooltip: tooltip(rows),
    series: [
      {
        type: 'pie',
        radius: ['58%', '86%'],
        center: ['50%', '50%'],
        avoidLabelOverlap: true,
        label: { show: false },
        labelLine: { show: false },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        emphasis: { scale: true, scaleSize: 4 },
        data: rows.map((row) => ({ name: row.label, value: row.areaHectares, itemStyle: { color: row.color } })),
      },
    ],
  };
}

/** Horizontal bars of parcel area (公顷) by 低效类型; long type names wrap instead of being cut. */
export function typeBarOption(rows: FigureRow[]): FigureChartOption {
  return {
    animationDuration: 400,
    textStyle: { fontFamily: CHART_FONT_FAMILY },
    tooltip: tooltip(rows),
    grid: { left: 4, right: 64, top: 4, bottom: 22, containLabel: true },
    xAxis: {
      type: 'value',
      name: '面积（公顷）',
      nameLocation: 'middle',
      nameGap: 6,
      nameTextStyle: { color: '#909399', fontSize: 11, verticalAlign: 'top' },
      axisLabel: { show: false },
      splitLine: { lineStyle: { color: '#eef0f3' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((row) => row.label),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#dcdfe6' } },
      axisLabel: {
        color: '#606266',
        fontSize: 11,
        lineHeight: 13,
        // Compound type names (设施落后/建筑危旧) break at their slash, not mid-word.
        formatter: (label: string) => label.replace('/', '/\n'),
      },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 14,
        data: rows.map((row) => ({ value: row.areaHectares, itemStyle: { color: row.color, borderRadius: [0, 3, 3, 0] } })),
        label: {
          show: true,
          position: 'right',
          color: '#606266',
          fontSize: 11,
          formatter: (parameter: unknown) => {
            const row = rows[(parameter as TooltipParameter).dataIndex];
            return row ? `${formatNumber(row.areaHectares, 2)} 公顷` : '';
          },
        },
      },
    ],
  };
}
