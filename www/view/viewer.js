// The viewer page: state, controls and input. Everything it shows comes from the service's own
// endpoints, on this origin (see api.js).
import * as api from './api.js';
import { decimalsFor, formatDepth, niceStep } from './depth.js';
import { readFragment, writeFragment } from './fragment.js';
import { Overview } from './overview.js';
import { ColormapGallery, StatisticsPanel, showLegend } from './panels.js';
import { DetailTrack } from './track.js';

api.takeKeyFromFragment();

const $ = (id) => document.getElementById(id);
const controls = { dataset: $('dataset'), norm: $('norm'), window: $('window'), vmin: $('vmin'), vmax: $('vmax') };
const status = $('status');
// What this service answers; probed once, so that the page works with older ones too.
const features = { binning: true, normalization: true, legends: true };
const state = { dataset: null, top: 0, span: 1, colormap: 'viridis', norm: 'none', window: '', vmin: '', vmax: '' };
let datasets = [];

function report(error) {
  status.textContent = error ? String(error.message || error) : '';
}

const track = new DetailTrack({ canvas: $('track'), scale: $('scale'), readout: $('readout'), onError: report });
const overview = new Overview({ canvas: $('overview'), marker: $('window-marker'), onError: report,
  onPick: (depth) => { state.top = depth - state.span / 2; refresh(); } });
const gallery = new ColormapGallery($('colormaps'), (name) => { state.colormap = name; refresh(); });
const statistics = new StatisticsPanel({ panel: $('statistics'), table: $('statistics-table'),
  canvas: $('histogram'), title: $('statistics-title') });

// The /frames parameters that decide how rows look (not which rows).
function display() {
  const normalized = features.normalization && state.norm !== 'none';
  return {
    colormap: state.colormap,
    norm: normalized ? state.norm : undefined,
    window: normalized && state.norm === 'dynamic' ? state.window : undefined,
    vmin: normalized ? undefined : state.vmin,
    vmax: normalized ? undefined : state.vmax,
  };
}

function framesUrl(depthMin, depthMax, rows) {
  return '/frames?' + api.query({ dataset: state.dataset.name, depth_min: depthMin, depth_max: depthMax,
    height: rows, format: 'png', ...display() });
}

function datasetSpan() {
  return Math.max(state.dataset.depth_max - state.dataset.depth_min, 1e-6);
}

// The window stays inside the log, at least a few frames tall and at most the whole log.
function clampView() {
  const { depth_min: low, depth_max: high, frame_count: count } = state.dataset;
  const step = count > 1 ? datasetSpan() / (count - 1) : 1;
  state.span = Math.min(datasetSpan(), Math.max(step * 8, state.span));
  state.top = Math.min(high - state.span, Math.max(low, state.top));
}

let statisticsTimer = null;

function refresh() {
  if (!state.dataset) return;
  clampView();
  const bottom = state.top + state.span;
  const decimals = Math.max(2, decimalsFor(state.span / 1000));
  writeFragment({ dataset: state.dataset.name, top: formatDepth(state.top, decimals),
    bottom: formatDepth(bottom, decimals), colormap: state.colormap, norm: state.norm, window: state.window,
    vmin: state.vmin, vmax: state.vmax });
  syncControls();
  track.show({ dataset: state.dataset, top: state.top, span: state.span, binning: features.binning,
    normalized: display().norm !== undefined,
    tileUrl: (tile, rows) => framesUrl(tile.depthMin, tile.depthMax, rows) });
  overview.load(state.dataset,
    (rows) => framesUrl(String(state.dataset.depth_min), String(state.dataset.depth_max), rows), features.binning);
  overview.mark(state.top, bottom);
  $('range').textContent = `window ${state.top.toFixed(decimals)} – ${bottom.toFixed(decimals)}` +
    ` (${formatDepth(state.span, decimals)} of ${formatDepth(datasetSpan(), 3)})`;
  if (features.legends) {
    const { vmin = '', vmax = '' } = display();
    showLegend($('legend'), state.colormap, vmin, vmax,
      { width: 16, height: $('track').clientHeight, orientation: 'vertical' });
    // Under the histogram only while the colours stand for stored values (no equalization).
    $('histogram-key').hidden = display().norm !== undefined;
    if (display().norm === undefined) showLegend($('histogram-legend'), state.colormap, vmin, vmax, { width: 256, height: 8 });
  }
  // The statistics follow the window once it settles, over the window widened to a coarse grid.
  clearTimeout(statisticsTimer);
  statisticsTimer = setTimeout(() => {
    const grid = niceStep(state.span / 20);
    statistics.load(state.dataset, formatDepth(Math.floor(state.top / grid) * grid, decimalsFor(grid)),
      formatDepth(Math.ceil(bottom / grid) * grid, decimalsFor(grid)));
  }, 250);
}

function syncControls() {
  controls.dataset.value = state.dataset.name;
  controls.norm.value = state.norm;
  controls.window.value = state.window;
  $('window-label').hidden = state.norm !== 'dynamic';
  controls.vmin.value = state.vmin;
  controls.vmax.value = state.vmax;
  controls.vmin.disabled = controls.vmax.disabled = state.norm !== 'none';
  gallery.select(state.colormap);
}

function zoom(factor, anchorDepth = state.top + state.span / 2) {
  const fraction = (anchorDepth - state.top) / state.span;
  state.span *= factor;
  state.top = anchorDepth - fraction * state.span;
  refresh();
}

function scrollBy(depth) {
  state.top += depth;
  refresh();
}

// A view from the fragment over the current one; unknown names fall back to what is there.
function applyFragment() {
  const view = readFragment();
  const dataset = datasets.find((d) => d.name === view.dataset) || state.dataset || datasets[0];
  if (dataset !== state.dataset) {
    state.dataset = dataset;
    state.top = dataset.depth_min;
    state.span = datasetSpan() / 4;
  }
  if (view.top !== undefined && view.bottom !== undefined && view.bottom > view.top) {
    state.top = view.top;
    state.span = view.bottom - view.top;
  }
  for (const field of ['colormap', 'norm', 'window', 'vmin', 'vmax']) {
    if (view[field] !== undefined) state[field] = view[field];
  }
  if (!['none', 'static', 'dynamic'].includes(state.norm)) state.norm = 'none';
  if (state.norm === 'dynamic' && !(Number(state.window) > 0)) state.window = defaultWindow();
  refresh();
}

function defaultWindow() {
  return formatDepth(niceStep(datasetSpan() / 50), 6);
}

async function probe(path) {
  try {
    await api.request(path);
    return true;
  } catch (error) {
    if (error.status === 401) throw error;
    return false;
  }
}

function wireControls() {
  controls.dataset.addEventListener('change', () => {
    state.dataset = datasets.find((d) => d.name === controls.dataset.value);
    state.top = state.dataset.depth_min;
    state.span = datasetSpan() / 4;
    if (state.norm === 'dynamic') state.window = defaultWindow();
    refresh();
  });
  controls.norm.addEventListener('change', () => {
    state.norm = controls.norm.value;
    if (state.norm === 'dynamic' && !(Number(state.window) > 0)) state.window = defaultWindow();
    refresh();
  });
  for (const name of ['window', 'vmin', 'vmax']) {
    controls[name].addEventListener('change', () => { state[name] = controls[name].value.trim(); report(); refresh(); });
  }
  $('zoom-in').addEventListener('click', () => zoom(0.5));
  $('zoom-out').addEventListener('click', () => zoom(2));
  $('copy-link').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      status.textContent = 'link copied';
    } catch (_) {
      window.prompt('Copy this link:', location.href);
    }
  });

  const trackCanvas = $('track');
  const onWheel = (event) => {
    event.preventDefault();
    const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    if (event.ctrlKey || event.metaKey) {
      const rect = trackCanvas.getBoundingClientRect();
      const anchor = state.top + (event.clientY - rect.top) / rect.height * state.span;
      zoom(Math.exp(delta * 0.002), Math.min(state.top + state.span, Math.max(state.top, anchor)));
    } else {
      scrollBy(delta / trackCanvas.clientHeight * state.span);
    }
  };
  trackCanvas.addEventListener('wheel', onWheel, { passive: false });
  $('overview-strip').addEventListener('wheel', onWheel, { passive: false });

  let drag = null;
  trackCanvas.addEventListener('pointerdown', (event) => {
    drag = { y: event.clientY, top: state.top };
    trackCanvas.setPointerCapture(event.pointerId);
    trackCanvas.focus();
  });
  trackCanvas.addEventListener('pointermove', (event) => {
    if (!drag) return;
    state.top = drag.top - (event.clientY - drag.y) / trackCanvas.clientHeight * state.span;
    refresh();
  });
  trackCanvas.addEventListener('pointerup', () => { drag = null; });

  document.addEventListener('keydown', (event) => {
    if (event.target.closest('input, select, dialog') || event.ctrlKey || event.metaKey || event.altKey) return;
    const moves = {
      ArrowDown: () => scrollBy(state.span * 0.1), ArrowUp: () => scrollBy(-state.span * 0.1),
      PageDown: () => scrollBy(state.span * 0.9), PageUp: () => scrollBy(-state.span * 0.9),
      Home: () => scrollBy(-Infinity), End: () => scrollBy(Infinity),
      '+': () => zoom(0.5), '=': () => zoom(0.5), '-': () => zoom(2),
    };
    if (!moves[event.key]) return;
    event.preventDefault();
    moves[event.key]();
  });
  window.addEventListener('hashchange', applyFragment);
  let resizeTimer = null;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(refresh, 150); });
}

async function start() {
  try {
    const [list, maps] = await Promise.all([api.json('/datasets'), api.json('/colormaps')]);
    datasets = list;
    if (!datasets.length) {
      report('No datasets are loaded yet.');
      return;
    }
    state.colormap = maps.default;
    controls.dataset.replaceChildren(...datasets.map((d) => new Option(`${d.name} (${d.frame_count} frames)`, d.name)));
    const first = datasets[0];
    const where = `dataset=${encodeURIComponent(first.name)}&depth_min=${first.depth_min}&depth_max=${first.depth_min}`;
    [features.binning, features.normalization, features.legends] = await Promise.all([
      probe(`/frames?${where}&height=1`), probe(`/frames?${where}&norm=static`),
      probe('/colormaps/gray.png?width=1&height=1')]);
    for (const option of controls.norm.options) option.disabled = !features.normalization && option.value !== 'none';
    gallery.fill(maps.colormaps, features.legends);
    wireControls();
    applyFragment();
    document.body.dataset.ready = 'true';
  } catch (error) {
    report(error);
  }
}

start();
