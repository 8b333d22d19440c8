// A small SVG bar chart: one bar per label, the value written above it.
export function BarChart(props: { bars: { label: string; value: number; text: string }[] }) {
  const width = 320;
  const height = 140;
  const top = 18;
  const bottom = 20;
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const step = width / Math.max(1, props.bars.length);
  const bar = Math.min(36, step * 0.6);
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" data-testid="bar-chart">
      {props.bars.map((b, i) => {
        const h = ((height - top - bottom) * b.value) / max;
        const x = i * step + (step - bar) / 2;
        const y = height - bottom - h;
        return (
          <g key={b.label}>
            <rect x={x} y={y} width={bar} height={Math.max(h, 1)} rx={4} class="chart-bar" />
            <text x={x + bar / 2} y={y - 4} class="chart-value">
              {b.text}
            </text>
            <text x={x + bar / 2} y={height - 5} class="chart-label">
              {b.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
