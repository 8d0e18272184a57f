import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Only the two chart types and three components the district card and the 认定 district counts use:
// the full ECharts bundle would triple the size of the page.
use([PieChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type FigureChartOption = ComposeOption<PieSeriesOption | BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export { init, type EChartsType } from 'echarts/core';
