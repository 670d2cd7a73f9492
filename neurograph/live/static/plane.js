/* The input plane of a network with two inputs: each neuron's decision map (its activation at
 * 32×32 points of the plane), the plane coloured by the predicted class with the data on it,
 * and the cost and accuracy curves of training. */

import { SEQUENTIAL, DIVERGING, CLASS_COLOURS, CLASS_SCALES, mix } from "./colours.js";
import { MAP_SIZE, PLANE_SIZE, make } from "./markup.js";
import { formatG } from "./text.js";

/* The part of the plane shown: the points and at least [-1, 1]², with a margin of a tenth. */
export function planeBounds(X) {
  const lo = (v) => Math.min(-1, ...v);
  const hi = (v) => Math.max(1, ...v);
  const xs = X.map((p) => p[0]);
  const ys = X.map((p) => p[1]);
  const padX = 0.1 * (hi(xs) - lo(xs));
  const padY = 0.1 * (hi(ys) - lo(ys));
  return [lo(xs) - padX, hi(xs) + padX, lo(ys) - padY, hi(ys) + padY];
}

/* A point's place on the plane's canvas, and back. */
export function toPlane(bounds, p) {
  return [(p[0] - bounds[0]) / (bounds[1] - bounds[0]) * PLANE_SIZE,
    (bounds[3] - p[1]) / (bounds[3] - bounds[2]) * PLANE_SIZE];
}
export function fromPlane(bounds, px, py) {
  return [bounds[0] + px / PLANE_SIZE * (bounds[1] - bounds[0]),
    bounds[3] - py / PLANE_SIZE * (bounds[3] - bounds[2])];
}

/* One canvas per non-input neuron in `container`: [[j, canvas], …]. */
export function mapCanvases(net, container) {
  const maps = [];
  for (const j of net.steps.flat()) {
    const name = net.nodes[j].name;
    const figure = make("figure", { class: "ng-map" });
    const canvas = make("canvas", { width: String(MAP_SIZE), height: String(MAP_SIZE),
      "data-neuron": name, "aria-label": "Decision map of " + name });
    figure.append(canvas, make("figcaption", {}, name));
    container.appendChild(figure);
    maps.push([j, canvas]);
  }
  return maps;
}

/* Run the network at every point of the grid: each map's activations, and the colour of the
 * predicted class (paler where less sure) as RGB triples. The network's values are kept. */
function sample(net, maps, bounds) {
  const size = MAP_SIZE;
  const values = maps.map(() => new Float64Array(size * size));
  const saved = { z: net.z.slice(), a: net.a.slice(), f: net.forwardDone, b: net.backwardDone };
  const probe = [0, 0];
  const classes = new Uint8Array(size * size * 3);
  const o = net.outputs;
  for (let r = 0; r < size; r++) {
    probe[1] = bounds[3] - (r + 0.5) / size * (bounds[3] - bounds[2]);
    for (let c = 0; c < size; c++) {
      probe[0] = bounds[0] + (c + 0.5) / size * (bounds[1] - bounds[0]);
      net.forward(probe);
      maps.forEach(([j], m) => (values[m][r * size + c] = net.a[j]));
      const cls = o.length > 1 ? o.reduce((b, j, i) => (net.a[j] > net.a[o[b]] ? i : b), 0)
        : net.a[o[0]] > 0.5 ? 1 : 0;
      const sure = o.length > 1 ? net.a[o[cls]] : Math.abs(net.a[o[0]] - 0.5) * 2;
      classes.set(mix(CLASS_SCALES[cls % CLASS_SCALES.length], 0.15 + 0.45 * sure), (r * size + c) * 3);
    }
  }
  net.z.set(saved.z);
  net.a.set(saved.a);
  net.forwardDone = saved.f;
  net.backwardDone = saved.b;
  return { values, classes };
}

/* Draw every neuron's map (green for a in [0, 1]; red to blue for tanh's [-1, 1]); returns the
 * classes' colours for drawPlane. */
export function drawMaps(net, maps, bounds) {
  const { values, classes } = sample(net, maps, bounds);
  maps.forEach(([j, canvas], m) => {
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(MAP_SIZE, MAP_SIZE);
    const kind = net.nodes[j].kind;
    for (let p = 0; p < MAP_SIZE * MAP_SIZE; p++) {
      const v = values[m][p];
      const rgb = kind === "tanh" ? mix(DIVERGING, 0.5 + 0.5 * v) : mix(SEQUENTIAL, Math.min(1, v));
      image.data[p * 4] = rgb[0];
      image.data[p * 4 + 1] = rgb[1];
      image.data[p * 4 + 2] = rgb[2];
      image.data[p * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  });
  return classes;
}

/* The plane: the classes' colours (smoothed up from 32×32), the points, the input x. */
export function drawPlane(canvas, scratch, classes, bounds, data, x) {
  const small = new ImageData(MAP_SIZE, MAP_SIZE);
  for (let p = 0; p < MAP_SIZE * MAP_SIZE; p++) {
    small.data.set([classes[p * 3], classes[p * 3 + 1], classes[p * 3 + 2], 255], p * 4);
  }
  scratch.getContext("2d").putImageData(small, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(scratch, 0, 0, PLANE_SIZE, PLANE_SIZE);
  data.X.forEach((p, i) => {
    const [px, py] = toPlane(bounds, p);
    ctx.beginPath();
    ctx.arc(px, py, 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = CLASS_COLOURS[data.y[i] % CLASS_COLOURS.length];
    ctx.fill();
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
  });
  const [px, py] = toPlane(bounds, x);
  ctx.strokeStyle = "#000000";
  ctx.lineWidth = 2;
  ctx.strokeRect(px - 5, py - 5, 10, 10);
  ctx.lineWidth = 1;
}

/* The cost (red, scaled to its largest) and the accuracy (blue, 0 to 1) epoch by epoch. */
export function drawCurves(canvas, caption, curves, n) {
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  if (curves.length === 0) {
    caption.textContent = "";
    return;
  }
  const top = Math.max(1e-12, ...curves.map((c) => c.cost));
  const line = (key, scale, colour) => {
    ctx.beginPath();
    curves.forEach((c, i) => {
      const px = curves.length === 1 ? 0 : i / (curves.length - 1) * (width - 4) + 2;
      const py = height - 2 - c[key] / scale * (height - 4);
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    });
    ctx.strokeStyle = colour;
    ctx.stroke();
  };
  line("cost", top, "#d62728");
  line("accuracy", 1, "#1f77b4");
  const last = curves[curves.length - 1];
  caption.textContent = "cost " + formatG(last.cost, 4) + ", accuracy " +
    (100 * last.accuracy).toFixed(1) + " % on the " + n + " points";
}
