/**
 * @module http/pages/stats/barChart
 * A horizontal bar chart drawn on the server as SVG (issue 18 item 7): it needs no script and no style attribute,
 * so it works under our CSP and prints. Plain SVG from this small module rather than a chart library: the
 * maintained ones (Chart.js, ECharts, Vega) draw in the browser or need a DOM/canvas on the server, and a bar of
 * counts is a rectangle and two labels. Every chart has its numbers in a table beside it (the page), so the
 * picture is never the only way to read them.
 */
import type { FC } from 'hono/jsx';

export interface Bar {
  label: string;
  value: number;
}

// Sized for a phone (the viewBox is about as wide as its screen, so 14-unit text stays legible); a wide screen
// caps the chart's width in the stylesheet.
const ROW = 28;
const LABEL = 130;
const WIDTH = 380;

export const BarChart: FC<{ id: string; title: string; bars: Bar[] }> = ({ id, title, bars }) => {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const room = WIDTH - LABEL - 50;
  const height = Math.max(1, bars.length) * ROW + 8;
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby={`${id}-title`} xmlns="http://www.w3.org/2000/svg">
      <title id={`${id}-title`}>{title}</title>
      {bars.map((b, i) => {
        const y = 4 + i * ROW;
        const w = Math.round((b.value / max) * room);
        return (
          <g>
            <text x={LABEL - 6} y={y + 17} text-anchor="end" font-size="14" fill="#333">
              {b.label.length > 9 ? `${b.label.slice(0, 8)}…` : b.label}
            </text>
            <rect x={LABEL} y={y + 4} width={Math.max(w, b.value > 0 ? 2 : 0)} height={ROW - 10} fill="#8a1c1c" />
            <text x={LABEL + Math.max(w, 2) + 6} y={y + 17} font-size="14" fill="#333">
              {String(b.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
};
