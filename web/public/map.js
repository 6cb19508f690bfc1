// The 2D map: every item drawn with regl-scatterplot (WebGL), coloured by a category and sized
// by popularity; the selected item and its neighbours are highlighted and joined by lines.

import createScatterplot from 'regl-scatterplot';

// Colour-blind-friendly categorical palette (Okabe-Ito plus greys); index 0 is "other".
export const palette = ['#8a8f98', '#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2',
  '#d55e00', '#cc79a7', '#b4d77a', '#ff9da7', '#9c755f', '#ffffff'];

const sizeSteps = 24;

/**
 * Maps PCA coordinates (items × 2, row-major) into [-1, 1]² with one scale for both axes, so
 * distances keep their proportions; an outlier-robust extent (the 0.5th and 99.5th
 * percentiles) keeps one far item from squeezing the rest into a dot.
 */
export function normalise(coordinates) {
  const n = coordinates.length / 2;
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; ++i) {
    xs[i] = coordinates[2 * i];
    ys[i] = coordinates[2 * i + 1];
  }
  const extent = (values) => {
    const sorted = Float32Array.from(values).sort();
    const lo = sorted[Math.floor(0.005 * (n - 1))];
    const hi = sorted[Math.ceil(0.995 * (n - 1))];
    return [lo, hi];
  };
  const [x0, x1] = extent(xs);
  const [y0, y1] = extent(ys);
  const half = Math.max(x1 - x0, y1 - y0, 1e-12) / 2 / 0.9;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  for (let i = 0; i < n; ++i) {
    xs[i] = Math.max(-1, Math.min(1, (xs[i] - cx) / half));
    ys[i] = Math.max(-1, Math.min(1, (ys[i] - cy) / half));
  }
  return { x: xs, y: ys };
}

export class ItemMap {
  constructor(canvas, handlers) {
    this.canvas = canvas;
    this.handlers = handlers;
    this.plot = null;
    this.points = null;
    this.drawing = Promise.resolve();
    this.marks = { profile: [], recommended: [] };
    this.lines = [];
  }

  /**
   * regl-scatterplot rejects a draw while the previous one is still running (t-SNE frames come
   * quickly), so every draw waits for the one before.
   */
  drawPoints(options) {
    const { x, y, z, w } = this.points;
    const run = this.drawing.then(() => this.plot.draw(
      { x: Array.from(x), y: Array.from(y), z, w },
      { zDataType: 'categorical', wDataType: 'continuous', ...options }));
    this.drawing = run.catch(() => {});
    return run;
  }

  ensurePlot() {
    if (this.plot) return;
    const { width, height } = this.canvas.getBoundingClientRect();
    this.plot = createScatterplot({
      canvas: this.canvas,
      width: Math.max(1, Math.round(width)),
      height: Math.max(1, Math.round(height)),
      backgroundColor: '#15171c',
      pointColorActive: '#ffffff',
      pointColorHover: '#ffd166',
      pointOutlineWidth: 2,
      pointSizeSelected: 3,
      opacityInactiveMax: 0.5,
      lassoOnLongPress: false,
      annotationLineWidth: 1,
    });
    this.plot.subscribe('pointOver', (index) => this.handlers.onHover(index));
    this.plot.subscribe('pointOut', () => this.handlers.onHover(-1));
    this.plot.subscribe('select', ({ points }) => {
      // A click selects one point; the page then selects its neighbours too (preventEvent).
      if (points.length === 1) this.handlers.onClick(points[0]);
    });
    this.plot.subscribe('deselect', () => this.handlers.onClick(-1));
    // The marks keep their size on the screen: redraw them (once a frame) when the view zooms.
    this.plot.subscribe('view', () => {
      if (this.annotating || !(this.marks.profile.length || this.marks.recommended.length)) {
        return;
      }
      this.annotating = true;
      requestAnimationFrame(() => {
        this.annotating = false;
        this.annotate();
      });
    });
    new ResizeObserver(() => {
      const box = this.canvas.getBoundingClientRect();
      if (box.width > 0 && box.height > 0) {
        this.plot.set({ width: Math.round(box.width), height: Math.round(box.height) });
      }
    }).observe(this.canvas);
  }

  /**
   * Draws every item. categories: small integers (0 = other) for the colour; popularity:
   * counts, drawn as point size on a log scale.
   */
  async draw(coordinates, categories, popularity) {
    this.ensurePlot();
    const { x, y } = normalise(coordinates);
    const n = x.length;
    let maxLog = 0;
    for (let i = 0; i < n; ++i) maxLog = Math.max(maxLog, Math.log1p(popularity[i]));
    const size = new Float32Array(n);
    for (let i = 0; i < n; ++i) size[i] = maxLog > 0 ? Math.log1p(popularity[i]) / maxLog : 0.5;
    this.points = { x, y, z: Array.from(categories), w: Array.from(size) };
    this.plot.set({
      colorBy: 'valueA',
      sizeBy: 'valueB',
      pointColor: palette,
      pointSize: Array.from({ length: sizeSteps }, (_, i) => 2 + (i * 9) / (sizeSteps - 1)),
    });
    this.plot.clearAnnotations?.();
    this.lines = [];
    this.marks = { profile: [], recommended: [] };
    await this.drawPoints({});
    this.annotate();
  }

  /** Moves the points to new coordinates (a t-SNE frame), keeping colours and sizes. */
  async move(coordinates) {
    if (!this.points) return;
    const { x, y } = normalise(coordinates);
    this.points.x = x;
    this.points.y = y;
    await this.drawPoints({});
    this.annotate();
  }

  async recolour(categories) {
    if (!this.points) return;
    this.points.z = Array.from(categories);
    await this.drawPoints({ select: this.plot.get('selectedPoints') });
  }

  /** Removes every point (new data was loaded; its map comes with the next training). */
  clear() {
    this.marks = { profile: [], recommended: [] };
    this.lines = [];
    if (!this.plot) return;
    this.plot.clearAnnotations?.();
    this.plot.clear();
    this.points = null;
  }

  /** Highlights an item and its neighbours; lines join the item to each neighbour. */
  highlight(item, neighbours) {
    if (!this.plot || !this.points) return;
    this.highlighted = { item, neighbours };
    if (item < 0) {
      this.plot.deselect({ preventEvent: true });
      this.lines = [];
      this.annotate();
      return;
    }
    this.plot.select([item, ...neighbours], { preventEvent: true });
    const { x, y } = this.points;
    this.lines = [
      { x: x[item], lineColor: [1, 1, 1, 0.25], lineWidth: 1 },
      { y: y[item], lineColor: [1, 1, 1, 0.25], lineWidth: 1 },
      ...neighbours.map((j) => ({
        vertices: [[x[item], y[item]], [x[j], y[j]]],
        lineColor: [1, 0.82, 0.4, 0.6],
        lineWidth: 1,
      })),
    ];
    this.annotate();
  }

  /**
   * Marks the visitor's listed items (green squares) and their recommendations (orange
   * diamonds); the marks stay until the next call, across highlights and layout changes.
   */
  mark(profile, recommended) {
    this.marks = { profile: [...profile], recommended: [...recommended] };
    this.annotate();
  }

  marked() {
    return { profile: [...this.marks.profile], recommended: [...this.marks.recommended] };
  }

  annotate() {
    if (!this.plot || !this.points) return;
    const { x, y } = this.points;
    // About 7 CSS pixels: the data square [-1, 1]² spans the canvas's shorter side at zoom 1.
    const zoom = this.plot.get('camera')?.scaling?.[0] ?? 1;
    const { width, height } = this.canvas.getBoundingClientRect();
    const r = 7 / (Math.max(zoom, 1e-6) * Math.max(1, Math.min(width, height)) / 2);
    const shape = (i, corners, lineColor) => ({
      vertices: [...corners, corners[0]].map(([dx, dy]) => [x[i] + dx * r, y[i] + dy * r]),
      lineColor,
      lineWidth: 2,
    });
    const square = [[-1, -1], [1, -1], [1, 1], [-1, 1]];
    const diamond = [[0, -1.3], [1.3, 0], [0, 1.3], [-1.3, 0]];
    const n = x.length;
    const marks = [
      ...this.marks.recommended.filter((i) => i < n)
        .map((i) => shape(i, diamond, [0.9, 0.62, 0, 0.9])),
      ...this.marks.profile.filter((i) => i < n).map((i) => shape(i, square, [0, 0.8, 0.45, 1])),
    ];
    const all = [...this.lines, ...marks];
    if (all.length) this.plot.drawAnnotations?.(all);
    else this.plot.clearAnnotations?.();
  }

  zoomTo(items) {
    if (this.plot && items.length) {
      this.plot.zoomToPoints(items, { padding: 0.6, transition: true, transitionDuration: 400 });
    }
  }

  /** Back to the whole map (a new layout has a new arrangement). */
  resetView() {
    if (this.plot) this.plot.zoomToOrigin({ transition: true, transitionDuration: 300 });
  }

  /** Where a point is drawn, in CSS pixels from the canvas's top-left corner. */
  screenPosition(item) {
    return this.plot ? this.plot.getScreenPosition(item) : null;
  }

  selected() {
    return this.plot ? this.plot.get('selectedPoints') : [];
  }

  /** The map as a PNG Blob. */
  async png() {
    const image = await this.plot.export({ scale: 1 });
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d').putImageData(image, 0, 0);
    return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  }
}
