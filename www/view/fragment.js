// The view in the URL fragment (#dataset=…&top=…&bottom=…&colormap=…&norm=…&window=…&vmin=…&vmax=…),
// so that a copied link opens the same view.

const FIELDS = ['dataset', 'top', 'bottom', 'colormap', 'norm', 'window', 'vmin', 'vmax'];

export function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const view = {};
  for (const field of FIELDS) {
    if (params.has(field)) view[field] = params.get(field);
  }
  for (const field of ['top', 'bottom']) {
    if (field in view) {
      const number = Number(view[field]);
      if (Number.isFinite(number)) view[field] = number; else delete view[field];
    }
  }
  return view;
}

export function fragmentOf(view) {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = view[field];
    if (value === undefined || value === null || value === '') continue;
    if (field === 'norm' && value === 'none') continue;
    if (field === 'window' && view.norm !== 'dynamic') continue;
    params.set(field, String(value));
  }
  return params.toString();
}

// replaceState: scrolling must not fill the history with one entry per wheel step.
export function writeFragment(view) {
  const text = fragmentOf(view);
  if (location.hash.slice(1) !== text) {
    history.replaceState(history.state, '', location.pathname + location.search + '#' + text);
  }
}
