/* The lab's markup: its controls, each with an accessible name, built inside the element the
 * lab is mounted on (it owns nothing else of the document). Text goes in as textContent. */

/* The size of a decision map (pixels a side) and of the input plane (CSS pixels). */
export const MAP_SIZE = 32;
export const PLANE_SIZE = 240;

/* One element with attributes and text; `attrs` keys are attribute names. */
export function make(tag, attrs = {}, text = null) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  if (text !== null) el.textContent = text;
  return el;
}

/* Set an attribute only when it changes: a large diagram repaints only what changed. */
const WRITTEN = new WeakMap();
export function put(el, name, value) {
  if (!WRITTEN.has(el)) WRITTEN.set(el, {});
  const written = WRITTEN.get(el);
  if (written[name] !== value) {
    written[name] = value;
    el.setAttribute(name, value);
  }
}
export function say(el, text) {
  if (!WRITTEN.has(el)) WRITTEN.set(el, {});
  const written = WRITTEN.get(el);
  if (written.text !== text) {
    written.text = text;
    el.textContent = text;
  }
}

/* The lab's markup, built inside `element`; returns the controls by role. */
export function build(element) {
  element.classList.add("ng-lab");
  const ui = {};
  const button = (key, label, text) => (ui[key] = make("button", { type: "button", "aria-label": label }, text));
  const field = (key, label, attrs = {}) => {
    ui[key] = make("input", { "aria-label": label, ...attrs });
    const wrap = make("label", { class: "ng-field" }, label + " ");
    wrap.appendChild(ui[key]);
    return wrap;
  };
  const choice = (key, label, options) => {
    ui[key] = make("select", { "aria-label": label });
    for (const [value, text] of options) ui[key].appendChild(make("option", { value }, text));
    const wrap = make("label", { class: "ng-field" }, label + " ");
    wrap.appendChild(ui[key]);
    return wrap;
  };
  const group = (label, ...children) => {
    const g = make("div", { class: "ng-group", role: "group", "aria-label": label });
    g.appendChild(make("span", { class: "ng-group-title" }, label));
    g.append(...children);
    return g;
  };

  const stepping = group("Step through the pass",
    button("restart", "Restart", "Restart"), button("back", "Step back", "◀ Back"),
    button("play", "Play", "Play"), button("pause", "Pause", "Pause"),
    button("forward", "Step forward", "Forward ▶"));
  ui.pause.disabled = true;
  ui.slider = make("input", { type: "range", min: "0", max: "0", value: "0", step: "1", "aria-label": "Position" });
  ui.where = make("span", { class: "ng-where" });
  stepping.append(ui.slider, ui.where);

  const trainingGroup = group("Training",
    button("train", "Train", "Train ▶"), button("pauseTrain", "Pause training", "Pause training"),
    button("trainOne", "Train one epoch", "+1 epoch"), button("reset", "Reset", "Reset"));
  ui.pauseTrain.disabled = true;
  const epochBox = make("span", { class: "ng-epoch" }, "Epoch ");
  ui.epoch = make("output", { "aria-label": "Epoch" }, "0");
  ui.seed = make("span", { class: "ng-seed" });
  epochBox.append(ui.epoch, " ", ui.seed);
  trainingGroup.append(epochBox,
    field("eta", "η", { type: "number", step: "any", min: "0", title: "a learning rate > 0" }),
    field("lmbda", "λ", { type: "number", step: "any", min: "0", title: "an L2 strength ≥ 0" }),
    field("batch", "Mini-batch size", { type: "number", step: "1", min: "1", title: "a whole number ≥ 1" }),
    choice("cost", "Cost", [["quadratic", "quadratic"], ["cross-entropy", "cross-entropy"],
      ["log-likelihood", "log-likelihood"]]));

  const structure = group("Structure",
    button("addNeuron", "Add neuron", "+ neuron"), button("removeNeuron", "Remove neuron", "− neuron"),
    button("addLayer", "Add layer", "+ layer"), button("removeLayer", "Remove layer", "− layer"),
    choice("kind", "Kind", [["sigmoid", "sigmoid"], ["perceptron", "perceptron"], ["tanh", "tanh"],
      ["relu", "ReLU"], ["softmax", "softmax (output layer)"]]));

  const edit = group("Edit",
    choice("chooseNeuron", "Neuron", []), field("bias", "Bias", { type: "number", step: "any" }),
    field("biasDrag", "Drag the bias", { type: "range", min: "-8", max: "8", step: "0.01" }),
    choice("chooseEdge", "Edge", []), field("weight", "Weight", { type: "number", step: "any" }),
    field("weightDrag", "Drag the weight", { type: "range", min: "-8", max: "8", step: "0.01" }),
    field("input", "Input", { type: "text", size: "24" }), field("target", "Target", { type: "text", size: "10" }));

  const files = group("Keep and share", button("save", "Save model", "Save model"),
    button("open", "Open model", "Open model…"));
  ui.file = make("input", { type: "file", accept: ".json,application/json", hidden: "", "aria-label": "Model file" });
  ui.share = make("span", { class: "ng-share" });
  files.append(ui.file, ui.share);

  ui.status = make("p", { class: "ng-status", role: "status", "aria-live": "polite", "aria-label": "Current step" });
  ui.output = make("p", { class: "ng-output" });
  ui.diagram = make("figure", { class: "ng-diagram", "aria-label": "Network" });
  ui.inspector = make("pre", { class: "ng-inspector", "aria-label": "Inspector" });

  ui.planeBox = make("section", { class: "ng-plane-box" });
  ui.plane = make("canvas", { width: String(PLANE_SIZE), height: String(PLANE_SIZE), tabindex: "0",
    role: "img", "aria-label": "Input plane", title: "Click to add a point of the chosen Class" });
  ui.scratch = make("canvas", { width: String(MAP_SIZE), height: String(MAP_SIZE), hidden: "" });
  ui.cls = make("select", { "aria-label": "Class" });
  const clsLabel = make("label", { class: "ng-field" }, "Class ");
  clsLabel.appendChild(ui.cls);
  ui.curves = make("canvas", { width: "240", height: "90", role: "img", "aria-label": "Cost and accuracy" });
  ui.curveText = make("p", { class: "ng-curve-text" });
  ui.maps = make("div", { class: "ng-maps", "aria-label": "Decision maps" });
  ui.planeBox.append(ui.plane, ui.scratch, clsLabel, ui.curves, ui.curveText, ui.maps);

  ui.digitBox = make("section", { class: "ng-digit-box" });
  ui.digit = make("canvas", { width: "280", height: "280", tabindex: "0", role: "img", "aria-label": "Draw a digit" });
  ui.digitBox.append(make("p", {}, "Draw a digit (it becomes the 784 inputs):"), ui.digit,
    button("clearDigit", "Clear the digit", "Clear"));

  const main = make("div", { class: "ng-lab-main" });
  const side = make("div", { class: "ng-lab-side" });
  side.append(ui.planeBox, ui.digitBox, ui.inspector);
  main.append(ui.diagram, side);
  element.replaceChildren(stepping, ui.status, trainingGroup, structure, edit, files, ui.output, main);
  return ui;
}
