// The sample values of a PNG answer. The service's PNGs are palette images whose indices are the
// pixel values (the colormap is the palette), so the values under the pointer come from the very bytes
// on screen: no second request, no inverting a colormap (which need not be one-to-one).

async function inflate(blob) {
  const stream = blob.stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : (pb <= pc ? b : c);
}

// { width, height, values: Uint8Array (row-major), transparent: Set of values that are no data }, or
// null for a PNG that is not 8-bit grey or palette (its pixels are colours, not values).
export async function pngValues(buffer) {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  let offset = 8;
  let header = null;
  const data = [];
  const transparent = new Set();
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      header = { width: view.getUint32(offset + 8), height: view.getUint32(offset + 12), depth: body[8], colour: body[9],
        interlaced: body[12] };
    } else if (type === 'tRNS' && header && header.colour === 3) {
      body.forEach((alpha, index) => { if (alpha === 0) transparent.add(index); });
    } else if (type === 'IDAT') {
      data.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  if (!header || header.depth !== 8 || ![0, 3].includes(header.colour) || header.interlaced) return null;
  const raw = await inflate(new Blob(data));
  const { width, height } = header;
  const values = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (width + 1)];
    const line = raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1));
    const out = y * width;
    for (let x = 0; x < width; x++) {
      const left = x > 0 ? values[out + x - 1] : 0;
      const up = y > 0 ? values[out - width + x] : 0;
      const corner = x > 0 && y > 0 ? values[out - width + x - 1] : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, corner)][filter];
      values[out + x] = (line[x] + predictor) & 0xff;
    }
  }
  return { width, height, values, transparent };
}
