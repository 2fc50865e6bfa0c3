/**
 * The ECharts modules the app uses, registered once (tree-shaken: only these are bundled). Add a chart type or a
 * component here when a builder starts using it.
 */
import { BarChart, BoxplotChart, CustomChart, GaugeChart, LineChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart, LineChart, GaugeChart, ScatterChart, CustomChart, BoxplotChart,
  GridComponent, TooltipComponent, LegendComponent, TitleComponent, DataZoomComponent, MarkLineComponent, MarkAreaComponent, VisualMapComponent,
  CanvasRenderer,
]);

export { echarts };
export type EChartsOption = echarts.EChartsCoreOption;
