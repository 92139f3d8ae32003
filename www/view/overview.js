// The overview strip: the whole log binned to the strip's height in device pixels (height=H), drawn
// pixel for pixel, with the detail window marked. Clicking or dragging on it moves the window.
import * as api from './api.js';
import { rowExtent } from './depth.js';

export class Overview {
  constructor({ canvas, marker, onPick, onError }) {
    this.canvas = canvas;
    this.marker = marker;
    this.onError = onError;
    this.extent = null;
    this.url = null;
    const pick = (event) => {
      if (!this.extent) return;
      const fraction = (event.clientY - canvas.getBoundingClientRect().top) / canvas.clientHeight;
      onPick(this.extent.top + fraction * (this.extent.bottom - this.extent.top));
    };
    let dragging = false;
    canvas.parentElement.addEventListener('pointerdown', (event) => {
      dragging = true;
      canvas.parentElement.setPointerCapture(event.pointerId);
      pick(event);
    });
    canvas.parentElement.addEventListener('pointermove', (event) => { if (dragging) pick(event); });
    canvas.parentElement.addEventListener('pointerup', () => { dragging = false; });
  }

  // The rows to ask for: the strip's CSS height times the device pixel ratio.
  rows() {
    return Math.max(1, Math.round(this.canvas.parentElement.clientHeight * (window.devicePixelRatio || 1)));
  }

  // url(rows) gives the PNG's URL; rows undefined when the service cannot bin.
  async load(dataset, url, binning) {
    const rows = binning ? this.rows() : undefined;
    const address = url(rows);
    if (address === this.url) return;
    this.url = address;
    this.canvas.dataset.loaded = 'false';
    try {
      const image = await api.image(address);
      if (address !== this.url) return;
      this.canvas.width = image.width || 1;
      this.canvas.height = image.rows || 1;
      const context = this.canvas.getContext('2d');
      context.clearRect(0, 0, this.canvas.width, this.canvas.height);
      if (image.rows) context.drawImage(image.bitmap, 0, 0);
      this.extent = image.rows ? rowExtent(image, rows, dataset.depth_min, dataset.depth_max)
        : { top: dataset.depth_min, bottom: dataset.depth_max };
      this.canvas.dataset.src = address;
      this.canvas.dataset.loaded = 'true';
      this.placeMarker();
    } catch (error) {
      if (address === this.url) this.onError(error);
    }
  }

  mark(top, bottom) {
    this.window = { top, bottom };
    this.placeMarker();
  }

  placeMarker() {
    if (!this.extent || !this.window) return;
    const span = this.extent.bottom - this.extent.top;
    const height = this.canvas.clientHeight;
    const y0 = Math.max(0, (this.window.top - this.extent.top) / span * height);
    const y1 = Math.min(height, (this.window.bottom - this.extent.top) / span * height);
    this.marker.style.top = `${y0}px`;
    this.marker.style.height = `${Math.max(2, y1 - y0)}px`;
  }
}
