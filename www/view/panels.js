// The side panels: the colormap gallery with each map's legend, and the range statistics with their
// histogram. Both come from the service (/colormaps/NAME.png, /statistics) and step aside when it has
// no such endpoint.
import * as api from './api.js';
import { formatDepth } from './depth.js';

async function legendInto(img, path) {
  try {
    const response = await api.request(path);
    img.src = URL.createObjectURL(await response.blob());
    img.onload = () => URL.revokeObjectURL(img.src);
    return true;
  } catch (_) {
    return false;
  }
}

// Buttons, one per map, each with its colour bar (/colormaps/NAME.png); the chosen one is pressed.
export class ColormapGallery {
  constructor(container, onChoose) {
    this.container = container;
    this.onChoose = onChoose;
  }

  fill(names, withLegends) {
    this.container.replaceChildren(...names.map((name) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'colormap';
      button.dataset.colormap = name;
      button.title = name;
      if (withLegends) {
        const img = document.createElement('img');
        img.alt = '';
        legendInto(img, `/colormaps/${encodeURIComponent(name)}.png?width=128&height=10`)
          .then((shown) => { if (!shown) img.remove(); });
        button.append(img);
      }
      const label = document.createElement('span');
      label.textContent = name;
      button.append(label);
      button.addEventListener('click', () => this.onChoose(name));
      return button;
    }));
  }

  select(name) {
    for (const button of this.container.children) {
      const chosen = button.dataset.colormap === name;
      if (chosen && button.getAttribute('aria-pressed') !== 'true') button.scrollIntoView({ block: 'nearest' });
      button.setAttribute('aria-pressed', String(chosen));
    }
  }
}

// A colour bar for the map and numeric vmin/vmax in use (a percentile stretch is shown unstretched):
// size { width, height[, orientation] } in CSS pixels.
export function showLegend(img, colormap, vmin, vmax, size) {
  const numeric = (v) => (v !== '' && !String(v).startsWith('p') ? v : undefined);
  const path = `/colormaps/${encodeURIComponent(colormap)}.png?` + api.query({
    width: Math.round(size.width), height: Math.round(size.height), orientation: size.orientation,
    vmin: numeric(vmin), vmax: numeric(vmax) });
  if (img.dataset.path === path) return;
  img.dataset.path = path;
  legendInto(img, path).then((shown) => { img.hidden = !shown; });
}

// /statistics for the window: numbers, percentiles and the 256-bin histogram.
export class StatisticsPanel {
  constructor({ panel, table, canvas, title }) {
    Object.assign(this, { panel, table, canvas, title });
    this.path = null;
  }

  async load(dataset, top, bottom) {
    const path = '/statistics?' + api.query({ dataset: dataset.name, depth_min: top, depth_max: bottom });
    if (path === this.path) return;
    this.path = path;
    try {
      const stats = await api.json(path);
      if (path !== this.path) return;
      this.panel.hidden = false;
      this.show(stats);
    } catch (error) {
      if (path !== this.path) return;
      this.panel.hidden = true;
    }
  }

  show(stats) {
    this.title.textContent = `Statistics, ${formatDepth(stats.depth_min)} – ${formatDepth(stats.depth_max)}`;
    this.title.title = 'of the original rows, as ingested (before resizing, normalization and binning)';
    const rows = [['frames', stats.frames], ['pixels', stats.pixels], ['min', stats.min], ['max', stats.max],
      ['mean', Number(stats.mean).toFixed(2)], ['std', Number(stats.std).toFixed(2)]];
    for (const [p, value] of Object.entries(stats.percentiles || {})) rows.push([`p${p}`, value]);
    this.table.replaceChildren(...rows.map(([name, value]) => {
      const row = document.createElement('tr');
      const head = document.createElement('th');
      head.textContent = name;
      const cell = document.createElement('td');
      cell.textContent = String(value);
      row.append(head, cell);
      return row;
    }));
    this.drawHistogram(stats.histogram || []);
  }

  drawHistogram(counts) {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(canvas.clientWidth * ratio);
    canvas.height = Math.round(canvas.clientHeight * ratio);
    const context = canvas.getContext('2d');
    context.clearRect(0, 0, canvas.width, canvas.height);
    const highest = Math.max(1, ...counts);
    const barWidth = canvas.width / Math.max(1, counts.length);
    context.fillStyle = getComputedStyle(canvas).color;
    counts.forEach((count, value) => {
      const barHeight = count / highest * canvas.height;
      context.fillRect(value * barWidth, canvas.height - barHeight, Math.max(1, barWidth), barHeight);
    });
  }
}
