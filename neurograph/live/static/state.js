/* The lab's state from outside, untrusted: the points of the data, and the whole state a link's
 * fragment holds (network, points, input, target, settings), each checked before use. */

import { COSTS, Network } from "./engine.js";
import { FormatError, checkModel } from "./model.js";

/* Check the page's data: points of n_in finite numbers, labels that are class numbers. */
export function checkData(data, nIn, nClasses) {
  const X = data && Array.isArray(data.X) ? data.X : null;
  const y = data && Array.isArray(data.y) ? data.y : null;
  if (X === null || y === null || X.length !== y.length) {
    throw new FormatError("the data must be {X: [[x1, …], …], y: [label, …]} of equal lengths");
  }
  X.forEach((x, i) => {
    if (!Array.isArray(x) || x.length !== nIn || !x.every((v) => typeof v === "number" && Number.isFinite(v))) {
      throw new FormatError("point " + i + " must be " + nIn + " finite numbers");
    }
    if (!Number.isInteger(y[i]) || y[i] < 0 || y[i] >= nClasses) {
      throw new FormatError("point " + i + ": its label must be a class number 0.." + (nClasses - 1));
    }
  });
  return { X: X.map((x) => x.slice()), y: y.slice() };
}

/* The longest URL fragment the page writes (browsers refuse longer URLs). */
export const MAX_FRAGMENT = 1.5 * 2 ** 20;

/* The state as a URL fragment: "lab=" and the JSON, base64url-encoded (UTF-8). */
export function encodeState(state) {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return "lab=" + btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/* The state a fragment holds, checked: a FormatError for anything else. */
export function decodeState(fragment) {
  const text = fragment.replace(/^#/, "");
  if (!text.startsWith("lab=")) throw new FormatError("the link holds no lab state");
  if (text.length > MAX_FRAGMENT) throw new FormatError("the link's state is larger than 1.5 MB");
  let state;
  try {
    const raw = atob(text.slice(4).replace(/-/g, "+").replace(/_/g, "/"));
    state = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(raw, (c) => c.charCodeAt(0))));
  } catch (err) {
    throw new FormatError("the link's state is not readable (cut short or altered?): " + err.message);
  }
  if (state === null || typeof state !== "object" || Array.isArray(state)) {
    throw new FormatError("the link's state must be an object");
  }
  checkModel(state.model);
  try {
    new Network(state.model); // a cycle, an edge to nowhere
  } catch (err) {
    throw new FormatError("the link's model: " + err.message);
  }
  const classes = Math.max(2, state.model.outputs.length);
  state.data = checkData(state.data, state.model.inputs.length, state.model.outputs.length > 1 ? classes : 2);
  if (!Object.hasOwn(COSTS, state.cost)) throw new FormatError("the link's cost must be one of " + Object.keys(COSTS).join(", "));
  for (const key of ["eta", "lmbda", "batch", "seed"]) {
    if (typeof state[key] !== "number" || !Number.isFinite(state[key]) || state[key] < 0) {
      throw new FormatError("the link's " + key + " must be a number ≥ 0");
    }
  }
  if (!(Number.isInteger(state.batch) && state.batch >= 1 && state.eta > 0 && Number.isInteger(state.seed))) {
    throw new FormatError("the link's eta, batch or seed is out of range");
  }
  const nIn = state.model.inputs.length;
  if (!Array.isArray(state.x) || state.x.length !== nIn || !state.x.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new FormatError("the link's input x must be " + nIn + " finite numbers");
  }
  const y = state.y;
  const nOut = state.model.outputs.length;
  if (!(Number.isInteger(y) && y >= 0 && y < Math.max(2, nOut)) &&
      !(Array.isArray(y) && y.length === nOut && y.every((v) => typeof v === "number" && Number.isFinite(v)))) {
    throw new FormatError("the link's target y must be a class number or " + nOut + " numbers");
  }
  return state;
}
