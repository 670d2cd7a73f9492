"""Beyond one machine: chapter 1's MNIST network, trained by PyTorch's DistributedDataParallel.

`torchrun --nproc_per_node 2 examples/08_ddp_mnist.py` (CPU, gloo), or run it directly: it
starts torchrun itself on 127.0.0.1. `--device cuda` takes one GPU per process (nccl)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import torch
import torch.distributed as dist
from safetensors.torch import load_file, save_file

import neurograph as ng

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--quick", action="store_true", help="1 epoch on 2,000 images per process")
parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
parser.add_argument("--out", default=".", type=Path, help="folder for the .safetensors files")
args = parser.parse_args()
if "RANK" not in os.environ:  # not under torchrun: start it, on this machine only, bounded
    launch = ["-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2"]
    env = {**os.environ, "GLOO_SOCKET_IFNAME": "lo", "MASTER_ADDR": "127.0.0.1"}
    sys.exit(subprocess.run([sys.executable, *launch, *sys.argv], env=env, timeout=900).returncode)
dist.init_process_group("nccl" if args.device == "cuda" else "gloo", timeout=timedelta(minutes=2))
rank, world = dist.get_rank(), dist.get_world_size()
device = torch.device(f"cuda:{os.environ['LOCAL_RANK']}" if args.device == "cuda" else "cpu")
(X_all, y_all), _, (X_test, y_test) = ng.datasets.load_mnist()
n, n_test = (2_000 * world, 1_000) if args.quick else (len(X_all), len(X_test))
X, y = torch.tensor(X_all[:n][rank::world]), torch.tensor(y_all[:n][rank::world])  # a shard each
module = ng.to_torch(ng.layered([784, 30, 10], seed=0)).to(device)  # float64, same start
ddp = torch.nn.parallel.DistributedDataParallel(module)
optimizer, loss = torch.optim.SGD(ddp.parameters(), lr=3.0), ng.torch_loss("quadratic")
for epoch in range(1 if args.quick else 10):
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(epoch))
    for k in range(0, len(X), 10):  # mini-batches of 10 per process; DDP averages the gradients
        optimizer.zero_grad()
        loss(ddp(X[order[k : k + 10]].to(device)), y[order[k : k + 10]].to(device)).backward()
        optimizer.step()
state = {k: v.cpu() for k, v in module.state_dict().items()}
save_file(state, str(args.out / f"rank{rank}.safetensors"))
dist.barrier()  # every rank's file is written
if rank == 0:
    others = [load_file(str(args.out / f"rank{r}.safetensors")) for r in range(world)]
    assert all(torch.equal(o[k], state[k]) for o in others for k in state), "ranks drifted apart"
    path = ng.save(ng.from_torch(module.cpu()), args.out / "mnist.safetensors")
    X_test, y_test = X_test[:n_test], y_test[:n_test]
    torch_accuracy = (module(torch.tensor(X_test)).argmax(1).numpy() == y_test).mean()
    accuracy = ng.load(path).compile().accuracy((X_test, y_test))  # back in neurograph
    print(f"{world} processes, identical parameters, saved {path}; on {n_test} test images: "
          f"PyTorch {torch_accuracy:.4f}, neurograph {accuracy:.4f}")  # fmt: skip
    assert accuracy == torch_accuracy and accuracy > (0.6 if args.quick else 0.94)
dist.barrier()  # the others wait for rank 0's evaluation before the group goes
dist.destroy_process_group()
