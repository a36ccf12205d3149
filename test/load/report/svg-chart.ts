/** Dependency-free SVG line charts for the self-contained HTML report. */

export interface Series {
  name: string;
  points: [number, number][];
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** log10 y axis (latencies spanning orders of magnitude). */
  logY?: boolean;
  /** Labels for x tick values (e.g. percentiles on a "nines" axis). */
  xTickLabels?: [number, string][];
}

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563"];
const W = 680;
const H = 300;
const M = { left: 64, right: 16, top: 34, bottom: 72 };

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function niceTicks(min: number, max: number, count = 5): number[] {
  if (max <= min) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const format = (v: number) =>
  Math.abs(v) >= 10_000 ? `${Math.round(v / 1000)}k` : String(Math.round(v * 100) / 100);

export function lineChart(options: ChartOptions): string {
  const all = options.series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  if (all.length === 0) {
    return `<svg viewBox="0 0 ${W} 60" width="${W}" height="60" role="img"><text x="10" y="35" font-size="13">${escape(options.title)}: no data</text></svg>`;
  }
  const fy = (y: number) => (options.logY ? Math.log10(Math.max(y, 0.01)) : y);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => fy(y));
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  const yMin = options.logY ? Math.floor(Math.min(...ys)) : 0;
  const yMax = options.logY ? Math.ceil(Math.max(...ys, yMin + 1)) : Math.max(...ys) * 1.05 || 1;
  const px = (x: number) => M.left + ((x - xMin) / (xMax - xMin)) * (W - M.left - M.right);
  const py = (y: number) =>
    H - M.bottom - ((fy(y) - yMin) / (yMax - yMin)) * (H - M.top - M.bottom);
  const parts: string[] = [];
  parts.push(
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${escape(options.title)}</text>`,
  );
  const yTicks = options.logY
    ? Array.from({ length: yMax - yMin + 1 }, (_, i) => 10 ** (yMin + i))
    : niceTicks(0, yMax);
  for (const tick of yTicks) {
    const y = py(tick);
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${M.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${format(tick)}</text>`,
    );
  }
  const xTicks: [number, string][] =
    options.xTickLabels ?? niceTicks(xMin, xMax, 8).map((t) => [t, format(t)]);
  for (const [tick, label] of xTicks) {
    const x = px(tick);
    parts.push(`<line x1="${x}" x2="${x}" y1="${M.top}" y2="${H - M.bottom}" stroke="#f3f4f6"/>`);
    parts.push(
      `<text x="${x}" y="${H - M.bottom + 16}" text-anchor="middle" font-size="11">${escape(label)}</text>`,
    );
  }
  parts.push(
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#9ca3af"/>`,
  );
  parts.push(
    `<text x="${W / 2}" y="${H - M.bottom + 34}" text-anchor="middle" font-size="12">${escape(options.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(16 ${(H - M.bottom + M.top) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escape(options.yLabel)}</text>`,
  );
  options.series.forEach((series, i) => {
    const color = COLORS[i % COLORS.length];
    const d = series.points
      .filter(([, y]) => Number.isFinite(y))
      .map(([x, y], k) => `${k ? "L" : "M"}${px(x).toFixed(1)},${py(y).toFixed(1)}`)
      .join("");
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    const lx = M.left + (i % 4) * 150;
    const ly = H - 16 + Math.floor(i / 4) * 14;
    parts.push(`<rect x="${lx}" y="${ly - 9}" width="12" height="4" fill="${color}"/>`);
    parts.push(`<text x="${lx + 16}" y="${ly - 4}" font-size="11">${escape(series.name)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escape(options.title)}">${parts.join("")}</svg>`;
}

/** x position of a percentile on a "nines" axis: 90 → 1, 99 → 2, 99.9 → 3. */
export function nines(percentile: number): number {
  return -Math.log10(Math.max(1e-5, 1 - percentile / 100));
}

export const NINES_TICKS: [number, string][] = [
  [0, "0%"],
  [nines(50), "50%"],
  [nines(90), "90%"],
  [nines(99), "99%"],
  [nines(99.9), "99.9%"],
  [nines(99.99), "99.99%"],
  [nines(100), "max"],
];
