// Charts from Chart.js, bundled (registered piecemeal so only what is drawn is shipped). Every chart has a text
// alternative: an aria-label summary, and the same numbers in the table next to it.
import { Chart, BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);
const live = new Set();

export function clearCharts() {
  for (const c of live) c.destroy();
  live.clear();
}

/** The text in at most max characters: a path-like name keeps its last part, else its start and "…". */
function fit(text, max) {
  if (text.length <= max) return text;
  const tail = text.slice(text.lastIndexOf('/') + 1);
  const shown = tail.length && tail.length <= max ? tail : text;
  return shown.length <= max ? shown : `${shown.slice(0, max - 1)}…`;
}

/** unit: what the bars measure, named on their axis ("share of the epoch, %"); none when the table says it. */
export function barChart(container, { labels, datasets, horizontal = false, label, stacked = false, unit = null }) {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  const wrap = document.createElement('div');
  wrap.className = 'chart';
  wrap.style.height = horizontal ? `${Math.max(160, labels.length * 28 + 60)}px` : '260px';
  wrap.append(canvas);
  container.append(wrap);
  const palette = ['#0b5cad', '#1a7f37', '#bf8700', '#8250df', '#cf222e', '#57606a'];
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: datasets.map((d, i) => ({ backgroundColor: palette[i % palette.length], ...d })),
    },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: datasets.length > 1 } },
      scales: {
        x: { stacked, beginAtZero: true, ...(unit && horizontal ? { title: { display: true, text: unit } } : {}) },
        // A long name beside a horizontal bar (a repository's) would push the bars out or be cut at the screen's edge
        // on a phone: it is shortened to what fits in two fifths of the chart; the tooltip and the text alternative
        // keep it whole.
        y: { stacked, beginAtZero: true, ...(unit && !horizontal ? { title: { display: true, text: unit } } : {}),
          ...(horizontal ? { ticks: { callback(value) {
          return fit(String(this.getLabelForValue(value)), Math.max(8, Math.floor((this.chart.width * 0.4) / 7)));
        } } } : {}) },
      },
    },
  });
  live.add(chart);
  return chart;
}
