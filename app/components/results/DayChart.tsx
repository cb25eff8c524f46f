import { BlockStack, Text } from "@shopify/polaris";
import { useId } from "react";
import { axisMax, dayLabel, xTicks } from "./chart-scale.ts";

interface Props {
  title: string;
  days: string[];
  values: number[];
  color: string;
  format: (value: number) => string;
  /** Where the same figures are as a table (the chart's accessible fallback). */
  tableId: string;
  /** The drawing's own size; it scales to its container's width. */
  width?: number;
  height?: number;
}

const PAD = { top: 10, right: 8, bottom: 22, left: 64 };

/**
 * One figure a day as bars, drawn as plain SVG: polaris-viz's BarChart alone is 424 KB minified
 * (123 KB gzipped) for what is here a few dozen rectangles. It renders on the server as in the
 * browser (no measuring, no window), every bar has a tooltip, and screen readers get a summary
 * and the per-day table it points to. One chart per figure (small multiples): counts of
 * different sizes on one axis would hide each other.
 */
export function DayChart({ title, days, values, color, format, tableId, width: WIDTH = 640, height = 200 }: Props) {
  const titleId = useId();
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const max = axisMax(Math.max(0, ...values));
  const step = plotW / Math.max(1, days.length);
  const barWidth = Math.max(1, step * 0.7);
  const x = (i: number) => PAD.left + step * i + step / 2;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const total = format(values.reduce((a, b) => a + b, 0));
  return (
    <figure style={{ margin: 0 }} data-chart={title}>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm" id={titleId}>{`${title}: ${total}`}</Text>
        <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby={titleId} aria-describedby={tableId} style={{ display: "block" }}>
          <desc>{`${title} each day from ${days[0] ?? ""} to ${days.at(-1) ?? ""}, ${total} in all. Every day's figures are in the table below.`}</desc>
          {[0, 0.5, 1].map((share) => (
            <g key={share}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(max * share)} y2={y(max * share)} stroke="#e3e3e3" />
              <text x={PAD.left - 6} y={y(max * share) + 4} textAnchor="end" fontSize="12" fill="#616161">{format(max * share)}</text>
            </g>
          ))}
          {xTicks(days.length).map((i) => (
            <text key={i} x={x(i)} y={height - 6} textAnchor="middle" fontSize="12" fill="#616161">{dayLabel(days[i]!)}</text>
          ))}
          <g fill={color}>
            {values.map((v, i) => (
              <rect key={days[i]} x={x(i) - barWidth / 2} y={y(v)} width={barWidth} height={Math.max(0, y(0) - y(v))} rx={1}>
                <title>{`${days[i]}: ${title} ${format(v)}`}</title>
              </rect>
            ))}
          </g>
        </svg>
      </BlockStack>
    </figure>
  );
}
