import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Only the two chart types and two components the district card uses: the full ECharts bundle
// would triple the size of the page.
use([PieChart, BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export type FigureChartOption = ComposeOption<PieSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export { init, type EChartsType } from 'echarts/core';
