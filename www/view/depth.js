// Pure depth arithmetic: nice steps, the aligned tile grid, scale ticks and number formatting.

// The smallest 1-2-5 step (1, 2, 5, 10, 20, ...) that is at least `x` (> 0).
export function niceStep(x) {
  const power = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 5, 10]) {
    if (m * power >= x * (1 - 1e-9)) return m * power;
  }
  return 10 * power;
}

// Decimals that show a multiple of `step` without float noise (0.1 -> 1, 5 -> 0).
export function decimalsFor(step) {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

// A depth as it goes into a URL: at most `decimals` decimals, no trailing zeros, no float noise.
export function formatDepth(value, decimals = 6) {
  return String(Number(value.toFixed(Math.min(20, decimals))));
}

// The tiles a view [top, top + span] needs. Tile spans come from the 1-2-5 series (the smallest one at
// least half the view), tiles start at whole multiples of their span, and each is asked for with the
// same number of rows: repeated and neighbouring views ask for the same URLs, which nginx caches.
export function tilesFor(top, span, dataset) {
  const size = niceStep(span / 2);
  const decimals = decimalsFor(size) + 1;
  const first = Math.max(0, Math.floor(top / size));
  const last = Math.floor((top + span) / size);
  const tiles = [];
  for (let k = first; k <= last; k++) {
    const start = k * size;
    const end = (k + 1) * size;
    if (end < dataset.depth_min || start > dataset.depth_max) continue;
    tiles.push({ depthMin: formatDepth(start, decimals), depthMax: formatDepth(end, decimals), start, end });
  }
  return { size, tiles };
}

// Scale ticks for a view: a 1-2-5 step giving at least `minPixels` between ticks.
export function ticksFor(top, span, pixels, minPixels = 60) {
  const step = niceStep(span * minPixels / Math.max(1, pixels));
  const decimals = decimalsFor(step);
  const ticks = [];
  for (let k = Math.ceil(top / step - 1e-9); k * step <= top + span + 1e-9 * step; k++) {
    const depth = k * step;
    ticks.push({ depth, label: depth.toFixed(decimals) });
  }
  return ticks;
}

// The depths an image's rows stand for. With more frames than rows the service bins the range, clipped
// to the dataset, into exactly `rows` equal bins; otherwise each row is one frame, and the rows are
// taken as evenly spaced between the first and last frame's depths (X-Depth-Min, X-Depth-Max).
export function rowExtent(image, requestedRows, clippedMin, clippedMax) {
  if (requestedRows && image.rows === requestedRows) return { top: clippedMin, bottom: clippedMax };
  const first = image.firstDepth ?? clippedMin;
  const last = image.lastDepth ?? clippedMax;
  const half = image.rows > 1 ? (last - first) / (image.rows - 1) / 2 : Math.max(1e-6, (clippedMax - clippedMin) / 2);
  return { top: first - half, bottom: last + half };
}
