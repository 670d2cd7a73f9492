/* Training in the page: one epoch of mini-batch SGD over the page's points (shuffled by a seeded
 * generator, as the book's network2.py shuffles), and the cost and accuracy it reaches. */

/* One epoch: the points shuffled by `rand`, then one SGD step per mini-batch of
 * settings.batch, with η, λ and n = the number of points (eq. 93). */
export function trainingEpoch(net, data, cost, settings, rand) {
  const n = data.X.length;
  const order = data.X.map((_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const k = Math.floor(rand() * (i + 1));
    [order[i], order[k]] = [order[k], order[i]];
  }
  for (let start = 0; start < n; start += settings.batch) {
    const batch = order.slice(start, start + settings.batch);
    net.sgdStep(batch.map((i) => data.X[i]), batch.map((i) => data.y[i]), cost,
      settings.eta, settings.lmbda, n);
  }
}

/* The average cost and the accuracy on the points (argmax, or a > ½ for one output). */
export function measure(net, data, cost) {
  let total = 0;
  let right = 0;
  data.X.forEach((p, i) => {
    const a = net.forward(p);
    const y = net.target(data.y[i]);
    for (const [kind, block, where] of net.blocks()) {
      const z = block.map((j) => net.z[j]);
      total += cost.value(kind, z, block.map((j) => net.a[j]), where.map((w) => y[w]));
    }
    const guess = a.length > 1 ? a.indexOf(Math.max(...a)) : a[0] > 0.5 ? 1 : 0;
    if (guess === data.y[i]) right += 1;
  });
  const n = Math.max(1, data.X.length);
  return { cost: total / n, accuracy: right / n };
}
