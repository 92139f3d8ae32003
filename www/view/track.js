// The detail track: the selected depth window drawn from aligned PNG tiles, its depth scale, and the
// hover readout of depth and value.
import * as api from './api.js';
import { rowExtent, ticksFor, tilesFor } from './depth.js';
import { pngValues } from './png.js';

const CACHE_LIMIT = 64;

// Loaded images by URL, oldest first (a Map keeps insertion order).
class ImageCache {
  constructor(onLoad) {
    this.entries = new Map();
    this.onLoad = onLoad;
  }

  get(url) {
    let entry = this.entries.get(url);
    if (entry) {
      this.entries.delete(url);
      this.entries.set(url, entry);
      return entry;
    }
    entry = { image: null, error: null };
    this.entries.set(url, entry);
    api.image(url).then((image) => { entry.image = image; },
      (error) => { entry.error = error; }).finally(() => this.onLoad(entry));
    while (this.entries.size > CACHE_LIMIT) this.entries.delete(this.entries.keys().next().value);
    return entry;
  }
}

// Power of two rows per tile: the same URLs for screens of similar size, at least one row per pixel.
export function tileRows(cssHeight) {
  const pixels = Math.ceil(cssHeight * (window.devicePixelRatio || 1));
  return Math.min(4096, Math.max(16, 2 ** Math.ceil(Math.log2(pixels))));
}

export class DetailTrack {
  constructor({ canvas, scale, readout, onError }) {
    this.canvas = canvas;
    this.scale = scale;
    this.readout = readout;
    this.onError = onError;
    this.images = new ImageCache((entry) => {
      if (entry.error) this.onError(entry.error);
      this.draw();
    });
    this.values = new WeakMap();
    this.drawn = [];
    this.view = null;
    this.pointer = null;
    canvas.addEventListener('mousemove', (event) => {
      this.pointer = { x: event.offsetX, y: event.offsetY };
      this.updateReadout();
    });
    canvas.addEventListener('mouseleave', () => { this.pointer = null; this.updateReadout(); });
  }

  // view: { dataset, top, span, binning, normalized, tileUrl(tile, rows) }.
  show(view) {
    this.view = view;
    this.draw();
    this.updateReadout();
  }

  placedTiles() {
    const { dataset, top, span } = this.view;
    const rows = this.view.binning ? tileRows(this.canvas.clientHeight) : undefined;
    return tilesFor(top, span, dataset).tiles.map((tile) => {
      const entry = this.images.get(this.view.tileUrl(tile, rows));
      const image = entry.image;
      if (!image || !image.rows) return { tile, image: null };
      const clippedMin = Math.max(tile.start, dataset.depth_min);
      const clippedMax = Math.min(tile.end, dataset.depth_max);
      return { tile, image, extent: rowExtent(image, rows, clippedMin, clippedMax) };
    });
  }

  draw() {
    if (!this.view) return;
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(canvas.clientWidth * ratio);
    const height = Math.round(canvas.clientHeight * ratio);
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const context = canvas.getContext('2d');
    context.imageSmoothingEnabled = false;
    context.clearRect(0, 0, width, height);
    const placed = this.placedTiles().filter((p) => p.image);
    const complete = placed.length === tilesFor(this.view.top, this.view.span, this.view.dataset).tiles.length;
    // Until every tile of this view is in, what was drawn before stays underneath.
    const layers = complete ? placed : this.drawn.concat(placed);
    for (const { image, extent } of layers) this.drawImage(context, image, extent, width, height);
    if (complete) this.drawn = placed;
    canvas.dataset.loaded = complete ? 'true' : 'false';
    this.drawScale();
  }

  drawImage(context, image, extent, width, height) {
    const { top, span } = this.view;
    const y0 = (extent.top - top) / span * height;
    const y1 = (extent.bottom - top) / span * height;
    context.drawImage(image.bitmap, 0, 0, image.width, image.rows, 0, y0, width, y1 - y0);
  }

  drawScale() {
    const { top, span } = this.view;
    const pixels = this.canvas.clientHeight;
    const ticks = ticksFor(top, span, pixels);
    this.scale.replaceChildren(...ticks.map(({ depth, label }) => {
      const tick = document.createElement('div');
      tick.className = 'tick';
      tick.style.top = `${(depth - top) / span * pixels}px`;
      tick.dataset.depth = String(depth);
      tick.textContent = label;
      return tick;
    }));
  }

  // Depth from the pointer's height; value from the tile's PNG itself (png.js): after normalization
  // and binning, before any vmin/vmax stretch, which only changes the palette.
  updateReadout() {
    if (!this.view || !this.pointer) {
      this.readout.textContent = 'Point at the track for depth and value.';
      return;
    }
    const { top, span } = this.view;
    const depth = top + this.pointer.y / this.canvas.clientHeight * span;
    let value = 'no data';
    const hit = this.placedTiles().find((p) => p.image && depth >= p.extent.top && depth <= p.extent.bottom);
    if (hit) {
      const values = this.valuesOf(hit.image);
      if (!values) {
        value = '…';
      } else if (!values.values) {
        value = 'not readable from this image';
      } else {
        const row = Math.min(values.height - 1,
          Math.floor((depth - hit.extent.top) / (hit.extent.bottom - hit.extent.top) * values.height));
        const column = Math.min(values.width - 1, Math.floor(this.pointer.x / this.canvas.clientWidth * values.width));
        const sample = values.values[row * values.width + column];
        if (!values.transparent.has(sample)) value = String(sample);
      }
    }
    const decimals = Math.max(2, 1 - Math.floor(Math.log10(span / this.canvas.clientHeight)));
    this.readout.textContent = `depth ${depth.toFixed(Math.min(6, decimals))}   value ${value}` +
      (this.view.normalized && value !== 'no data' ? ' (equalized)' : '');
  }

  // The tile's values, decoded once, on the first hover; undefined until then.
  valuesOf(image) {
    if (!this.values.has(image)) {
      this.values.set(image, undefined);
      image.blob.arrayBuffer().then(pngValues).then((values) => {
        this.values.set(image, values || {});
        this.updateReadout();
      });
    }
    return this.values.get(image);
  }
}
