// Every request the page makes goes through here: same origin only, with the access key when the
// service asks for one (401), and images decoded to bitmaps with their pixel values untouched.

const KEY_ITEM = 'frames.key';
let pendingKey = null;

// A key handed over in the fragment (#...&key=K) is kept for this tab and taken out of the address
// bar before anything else happens. Fragments never reach a server.
export function takeKeyFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (!params.has('key')) return;
  sessionStorage.setItem(KEY_ITEM, params.get('key'));
  params.delete('key');
  const rest = params.toString();
  history.replaceState(history.state, '', location.pathname + location.search + (rest ? '#' + rest : ''));
}

function headers() {
  const key = sessionStorage.getItem(KEY_ITEM);
  return key ? { Authorization: 'Bearer ' + key } : {};
}

// One prompt for all the requests that met a 401 at the same time.
function askForKey() {
  if (!pendingKey) {
    pendingKey = new Promise((resolve) => {
      const dialog = document.getElementById('key-dialog');
      const input = dialog.querySelector('input');
      input.value = '';
      dialog.addEventListener('close', () => {
        const key = dialog.returnValue === 'ok' ? input.value.trim() : '';
        if (key) sessionStorage.setItem(KEY_ITEM, key);
        pendingKey = null;
        resolve(key);
      }, { once: true });
      dialog.showModal();
    });
  }
  return pendingKey;
}

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

export async function request(path) {
  if (!path.startsWith('/')) throw new Error('same-origin paths only: ' + path);
  let response = await fetch(path, { headers: headers() });
  if (response.status === 401) {
    sessionStorage.removeItem(KEY_ITEM);
    if (await askForKey()) response = await fetch(path, { headers: headers() });
  }
  if (!response.ok) {
    let detail = '';
    try { detail = (await response.json()).detail; } catch (_) { /* not problem+json */ }
    throw new ApiError(response.status, detail);
  }
  return response;
}

export async function json(path) {
  return (await request(path)).json();
}

// An image answer as an ImageBitmap with the stored colours (no colour management, no premultiplying),
// plus what its headers say about the rows. 204 (an empty range) gives { rows: 0 }.
export async function image(path) {
  const response = await request(path);
  const number = (name) => {
    const text = response.headers.get(name);
    return text === null ? undefined : Number(text);
  };
  if (response.status === 204) return { rows: 0 };
  const blob = await response.blob();
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  return { bitmap, blob, rows: bitmap.height, width: bitmap.width, url: path,
    firstDepth: number('X-Depth-Min'), lastDepth: number('X-Depth-Max'), frames: number('X-Frame-Count') };
}

export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== '') search.append(name, String(value));
  }
  return search.toString();
}
