"""Beyond one machine: chapter 1's MNIST network, trained by PyTorch's DistributedDataParallel.

`torchrun --nproc_per_node 2 examples/08_ddp_mnist.py` (CPU, gloo; run directly, the script
starts torchrun itself on 127.0.0.1). `--device cuda` takes one GPU per process (nccl).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import torch
import torch.distributed as dist
from safetensors.torch import save_file

import neurograph as ng

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--quick", action="store_true", help="1 epoch on 2,000 images per process")
parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
parser.add_argument("--nproc", type=int, default=2, help="processes when starting torchrun")
parser.add_argument("--out", default=".", help="folder for the .safetensors files")
args = parser.parse_args()
if "RANK" not in os.environ:  # not under torchrun: start it, on this machine only, bounded
    command = ["--standalone", "--nproc_per_node", str(args.nproc), __file__, *sys.argv[1:]]
    env = {**os.environ, "GLOO_SOCKET_IFNAME": "lo", "MASTER_ADDR": "127.0.0.1"}
    run = subprocess.run([sys.executable, "-m", "torch.distributed.run", *command], env=env, timeout=900)
    sys.exit(run.returncode)

dist.init_process_group("nccl" if args.device == "cuda" else "gloo", timeout=timedelta(seconds=120))
rank, world = dist.get_rank(), dist.get_world_size()
device = torch.device(f"cuda:{os.environ['LOCAL_RANK']}" if args.device == "cuda" else "cpu")
train, _, test = ng.datasets.load_mnist()
n = 2_000 * world if args.quick else len(train[0])
X, y = torch.tensor(train[0][:n][rank::world]), torch.tensor(train[1][:n][rank::world])  # a shard each
module = ng.to_torch(ng.layered([784, 30, 10], seed=0)).to(device)  # float64, the same start on every rank
ddp = torch.nn.parallel.DistributedDataParallel(module)
optimizer, loss = torch.optim.SGD(ddp.parameters(), lr=3.0), ng.torch_loss("quadratic")
for epoch in range(1 if args.quick else 10):
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(epoch))
    for k in range(0, len(X), 10):  # mini-batches of 10 per process: DDP averages the gradients
        batch = order[k : k + 10]
        optimizer.zero_grad()
        loss(ddp(X[batch].to(device)), y[batch].to(device)).backward()
        optimizer.step()
out = Path(args.out)
save_file({k: v.cpu() for k, v in module.state_dict().items()}, str(out / f"rank{rank}.safetensors"))
flat = torch.cat([p.detach().flatten() for p in module.parameters()])
gathered = [torch.empty_like(flat) for _ in range(world)]
dist.all_gather(gathered, flat)
if rank == 0:
    assert all(torch.equal(g, flat) for g in gathered), "the processes drifted apart"
    path = ng.save(ng.from_torch(module.cpu()), out / "mnist.safetensors")
    X_test, y_test = test[0][:1000] if args.quick else test[0], test[1][:1000] if args.quick else test[1]
    torch_accuracy = (module(torch.tensor(X_test)).argmax(1).numpy() == y_test).mean()
    accuracy = ng.load(path).compile().accuracy((X_test, y_test))  # back in neurograph
    print(f"{world} processes, identical parameters; saved {path}")
    print(f"accuracy on {len(y_test)} test images: PyTorch {torch_accuracy:.4f}, neurograph {accuracy:.4f}")
    assert accuracy == torch_accuracy and accuracy > (0.6 if args.quick else 0.94)
dist.barrier()  # rank 1 waits for rank 0's evaluation before the group goes
dist.destroy_process_group()
