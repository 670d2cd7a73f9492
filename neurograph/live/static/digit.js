/* The digit canvas: the learner draws with the mouse (or a finger), and the drawing becomes
 * 784 inputs prepared as MNIST's digits are: the ink's bounding box scaled into a 20×20 box
 * (keeping its aspect), then placed in 28×28 so that its centre of mass is the centre. */

/* The 28×28 image of the ink on `canvas` (values in [0, 1], row by row), or null if empty. */
export function mnistPixels(canvas) {
  const { width, height } = canvas;
  const ink = canvas.getContext("2d").getImageData(0, 0, width, height).data;
  let top = height, left = width, bottom = -1, right = -1;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (ink[(r * width + c) * 4 + 3] > 0) {
        top = Math.min(top, r);
        bottom = Math.max(bottom, r);
        left = Math.min(left, c);
        right = Math.max(right, c);
      }
    }
  }
  if (bottom < 0) return null;
  const w = right - left + 1;
  const h = bottom - top + 1;
  const scale = 20 / Math.max(w, h);
  const box = document.createElement("canvas");
  box.width = box.height = 20;
  const ctx = box.getContext("2d", { willReadFrequently: true });
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(canvas, left, top, w, h, (20 - w * scale) / 2, (20 - h * scale) / 2, w * scale, h * scale);
  const small = ctx.getImageData(0, 0, 20, 20).data;
  let mass = 0, mr = 0, mc = 0;
  for (let p = 0; p < 400; p++) {
    const v = small[p * 4 + 3] / 255;
    mass += v;
    mr += v * Math.floor(p / 20);
    mc += v * (p % 20);
  }
  // (the centre of mass of the 20×20 box) moves to the centre (13.5, 13.5) of 28×28
  const dr = Math.round(13.5 - mr / mass);
  const dc = Math.round(13.5 - mc / mass);
  const pixels = new Array(784).fill(0);
  for (let p = 0; p < 400; p++) {
    const r = Math.floor(p / 20) + dr;
    const c = (p % 20) + dc;
    if (r >= 0 && r < 28 && c >= 0 && c < 28) pixels[r * 28 + c] = small[p * 4 + 3] / 255;
  }
  return pixels;
}

/* Make `canvas` drawable; `changed(pixels)` gets the prepared 784 inputs during each stroke
 * (once a frame) and at its end. Returns {clear}. */
export function prepareDigit(canvas, changed) {
  const ctx = canvas.getContext("2d", { willReadFrequently: true }); // read back every stroke
  let drawing = false;
  let queued = false;
  const send = () => {
    queued = false;
    const pixels = mnistPixels(canvas);
    if (pixels !== null) changed(pixels);
  };
  const at = (event) => {
    const rect = canvas.getBoundingClientRect();
    return [(event.clientX - rect.left) * canvas.width / rect.width,
      (event.clientY - rect.top) * canvas.height / rect.height];
  };
  canvas.addEventListener("pointerdown", (event) => {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    ctx.lineWidth = canvas.width / 12;
    ctx.lineCap = ctx.lineJoin = "round";
    ctx.strokeStyle = "#000000";
    ctx.beginPath();
    ctx.moveTo(...at(event));
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    ctx.lineTo(...at(event));
    ctx.stroke();
    if (!queued) {
      queued = true;
      requestAnimationFrame(send);
    }
  });
  canvas.addEventListener("pointerup", () => {
    drawing = false;
    send();
  });
  return { clear: () => ctx.clearRect(0, 0, canvas.width, canvas.height) };
}
