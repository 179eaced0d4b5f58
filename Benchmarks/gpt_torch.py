"""Descent's GPT in PyTorch, built from the weights Descent saved (the names `save` writes:
`tokens1.w`, `block1.attn.qkv.w`, …, `layernorm1.g`, `head1.w`), for the peers that generate
from the same weights (Benchmarks/stream_peer.py, Benchmarks/generate_peer.py). minGPT's layout:
pre-norm blocks, exact GELU, a head without bias. `forward(idx, start, caches)` with a list of
per-block caches keeps each block's keys and values (a KV cache); without one it is minGPT's
forward over the whole sequence.
"""
import torch
from torch import nn


def build(weights, layers, heads):
    """The model (in evaluation mode) for `weights`, with `layers` blocks of `heads` heads."""
    block, width = weights["tokens1.p"].shape

    def linear(prefix, bias=True):
        w = weights[prefix + ".w"]
        layer = nn.Linear(w.shape[0], w.shape[1], bias=bias)
        layer.weight.data = w.t().contiguous()  # Descent keeps (in, out); PyTorch (out, in)
        if bias:
            layer.bias.data = weights[prefix + ".b"]
        return layer

    def norm(prefix):
        layer = nn.LayerNorm(width)
        layer.weight.data, layer.bias.data = weights[prefix + ".g"], weights[prefix + ".b"]
        return layer

    class Block(nn.Module):
        def __init__(self, name):
            super().__init__()
            self.ln1 = norm(name + ".ln1")
            self.qkv, self.proj = linear(name + ".attn.qkv"), linear(name + ".attn.proj")
            # An attention-only block (`model gpt attention-only`) has no ln2 and no MLP.
            self.mlp = name + ".mlp.fc.w" in weights
            if self.mlp:
                self.ln2 = norm(name + ".ln2")
                self.fc, self.out = linear(name + ".mlp.fc"), linear(name + ".mlp.proj")
            self.register_buffer("mask", torch.tril(torch.ones(block, block)).view(1, 1, block, block))

        def forward(self, x, cache=None):
            n, t, d = x.size()
            q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
            q, k, v = (z.view(n, t, heads, d // heads).transpose(1, 2) for z in (q, k, v))
            if cache is not None:
                if cache:
                    k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
                cache[:] = [k, v]
            att = (q @ k.transpose(-2, -1)) * (1.0 / (k.size(-1) ** 0.5))
            if cache is None:
                att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf"))
            att = att.softmax(dim=-1)
            x = x + self.proj((att @ v).transpose(1, 2).contiguous().view(n, t, d))
            return x + self.out(nn.functional.gelu(self.fc(self.ln2(x)))) if self.mlp else x

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.block = block
            self.wte = nn.Embedding.from_pretrained(weights["tokens1.w"])
            self.wpe = weights["tokens1.p"]
            self.blocks = nn.ModuleList([Block(f"block{i + 1}") for i in range(layers)])
            self.ln = norm("layernorm1")
            self.head = linear("head1", bias=False)

        def forward(self, idx, start=0, caches=None):
            x = self.wte(idx) + self.wpe[start : start + idx.size(1)]
            for i, b in enumerate(self.blocks):
                x = b(x, None if caches is None else caches[i])
            return self.head(self.ln(x))

    return GPT().eval()
