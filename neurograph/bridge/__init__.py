"""The bridge to PyTorch: export a network as a ``torch.nn.Module``, its losses, and import back.

The only part that imports ``torch`` (an optional extra: ``pip install 'neurograph[torch]'``).
It sits above the fast engine and the files, and may import them and the graph engine; the
tensor names it shares with the safetensors files live in [`neurograph.io.tensor_names`][].
"""

from neurograph.io.extras import require

require("torch")
