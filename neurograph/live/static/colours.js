/* The colours of the lab, as neurograph's pictures use them (pictures/style.py): green for an
 * activation, red to blue for a signed value, one colour per class. */

export const SEQUENTIAL = ["#ffffff", "#c7e9c0", "#74c476", "#238b45", "#00441b"];
export const DIVERGING = ["#b2182b", "#ef8a62", "#f7f7f7", "#67a9cf", "#2166ac"];
export const CLASS_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
  "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
export const CLASS_SCALES = CLASS_COLOURS.map((colour) => ["#ffffff", colour]);

/* A colour on a scale of hex stops, t in [0, 1] (pictures/style.py's mix), as [r, g, b]:
 * looked up in a table of 256 steps per scale, made on first use. */
const TABLES = new Map();
export function mix(stops, t) {
  if (!TABLES.has(stops)) {
    const table = [];
    for (let k = 0; k < 256; k++) {
      const x = (k / 255) * (stops.length - 1);
      const i = Math.min(Math.floor(x), stops.length - 2);
      const f = x - i;
      table.push([1, 3, 5].map((p) => {
        const lo = parseInt(stops[i].slice(p, p + 2), 16);
        const hi = parseInt(stops[i + 1].slice(p, p + 2), 16);
        return Math.round(lo + (hi - lo) * f);
      }));
    }
    TABLES.set(stops, table);
  }
  const k = Math.round(Math.max(0, Math.min(1, t)) * 255);
  return TABLES.get(stops)[Number.isNaN(k) ? 0 : k];
}

/* The colour of t on a scale, as "#rrggbb" (made once per step of the scale). */
const HEXES = new Map();
export function mixHex(stops, t) {
  if (!HEXES.has(stops)) HEXES.set(stops, Array.from({ length: 256 }, (_, k) => hex(mix(stops, k / 255))));
  const k = Math.round(Math.max(0, Math.min(1, t)) * 255);
  return HEXES.get(stops)[Number.isNaN(k) ? 0 : k];
}

export const hex = (rgb) => "#" + rgb.map((v) => v.toString(16).padStart(2, "0")).join("");
export const inkOn = (rgb) => (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 128 ? "#ffffff" : "#333333");
