import { lineChart, nines, NINES_TICKS, Series } from "./svg-chart";
import type { LoadReport } from "./write-report";

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Markdown tables and bullets to HTML (only what renderMarkdown emits). */
function markdownToHtml(markdown: string): string {
  const out: string[] = [];
  let table: string[][] = [];
  const inline = (text: string) =>
    escape(text)
      .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
      .replace(/`(.+?)`/g, "<code>$1</code>")
      .replace(/\*(\w.+?)\*/g, "<em>$1</em>");
  const flush = () => {
    if (!table.length) return;
    const [head, , ...rows] = table;
    out.push(
      `<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join("")}</tr></thead><tbody>` +
        rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join("")}</tr>`).join("") +
        "</tbody></table>",
    );
    table = [];
  };
  for (const line of markdown.split("\n")) {
    if (line.startsWith("|")) {
      table.push(
        line
          .slice(1, -1)
          .split("|")
          .map((c) => c.trim()),
      );
      continue;
    }
    flush();
    if (line.startsWith("# ")) out.push(`<h1>${inline(line.slice(2))}</h1>`);
    else if (line.startsWith("## ")) out.push(`<h2>${inline(line.slice(3))}</h2>`);
    else if (line.startsWith("- ")) out.push(`<li>${inline(line.slice(2))}</li>`);
    else if (line.trim()) out.push(`<p>${inline(line)}</p>`);
  }
  flush();
  return out.join("\n");
}

/** The one self-contained page: the tables plus inline SVG charts (no scripts, no CDN). */
export function renderHtml(report: LoadReport, markdown: string): string {
  const charts: string[] = [];
  const spectra: Series[] = report.targets.flatMap((t) =>
    t.phases.length
      ? [
          {
            name: `${t.name} receive (${t.phases[t.phases.length - 1].label})`,
            points: t.phases[t.phases.length - 1].receiveSpectrum.map(
              ([p, ms]) => [nines(p), ms] as [number, number],
            ),
          },
        ]
      : [],
  );
  charts.push(
    lineChart({
      title: "Send-to-receive latency distribution (last phase)",
      xLabel: "percentile",
      yLabel: "ms (log)",
      series: spectra,
      logY: true,
      xTickLabels: NINES_TICKS,
    }),
  );
  const timeline = (
    key: "deliveredPerSec" | "ackedPerSec" | "receiveP99" | "open" | "rssMb",
    suffix = "",
  ) =>
    report.targets.map((t) => ({
      name: `${t.name}${suffix}`,
      points: t.timeline
        .filter((p) => p[key] !== null)
        .map((p) => [p.t, p[key] as number] as [number, number]),
    }));
  charts.push(
    lineChart({
      title: "Throughput over time",
      xLabel: "seconds since the target's start",
      yLabel: "per second",
      series: [
        ...timeline("ackedPerSec", " persisted/s"),
        ...timeline("deliveredPerSec", " deliveries/s"),
      ],
    }),
  );
  charts.push(
    lineChart({
      title: "Send-to-receive p99 per second",
      xLabel: "seconds",
      yLabel: "ms (log)",
      series: timeline("receiveP99"),
      logY: true,
    }),
  );
  charts.push(
    lineChart({
      title: "Open connections",
      xLabel: "seconds",
      yLabel: "connections",
      series: timeline("open"),
    }),
  );
  charts.push(
    lineChart({
      title: "Server memory (RSS, all nodes)",
      xLabel: "seconds",
      yLabel: "MB",
      series: timeline("rssMb"),
    }),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Load report: ${escape(report.scenario)} ${escape(report.startedAt)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#111}
table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border:1px solid #d1d5db;padding:4px 8px;text-align:right}
th{background:#f3f4f6}td:first-child,th:first-child{text-align:left}code{background:#f3f4f6;padding:1px 4px}
.charts{display:flex;flex-wrap:wrap;gap:16px}.charts svg{border:1px solid #e5e7eb;background:#fff}
</style></head><body>
${markdownToHtml(markdown)}
<h2>Charts</h2><div class="charts">${charts.join("\n")}</div>
</body></html>
`;
}
