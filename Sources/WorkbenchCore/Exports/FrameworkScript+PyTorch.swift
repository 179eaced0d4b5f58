import NeuralEngine
import Models

/// `export pytorch`: a PyTorch module and a DistributedDataParallel training loop that runs
/// alone (`python NAME.py`) or under `torchrun --nproc_per_node=N` (gloo on CPUs, NCCL on
/// GPUs). Layouts change: a `Linear.weight` is Descent's Dense kernel transposed, a `Conv2d`
/// weight (F, C, kh, kw) is Descent's kernel reshaped to (kh, kw, C, F) and permuted, images
/// run channels-first, and flattening after a convolution goes back to channels-last order
/// first, so the Dense after it sees its inputs in Descent's order.
extension FrameworkScript {
    var pytorch: String {
        var s = preamble(framework: "PyTorch",
                         run: "python \(name).py [--epochs N]   or   torchrun --nproc_per_node=2 \(name).py [--epochs N]",
                         packages: Self.pytorchPackages,
                         notes: ["Each process trains on its share of the batches (DistributedSampler); DDP averages the",
                                 "gradients, so N processes train like one with N times the batch. The optimizer starts fresh."])
        s += """
        import argparse
        import csv
        import os
        import sys

        try:
            import numpy as np
            import torch
            import torch.distributed as dist
            import torch.nn as nn
            import torch.nn.functional as F
            from safetensors.numpy import load_file
            from torch.nn.parallel import DistributedDataParallel
            from torch.utils.data import DataLoader, TensorDataset
            from torch.utils.data.distributed import DistributedSampler
        except ImportError as missing:
            sys.exit(f"{missing.name} is not installed: this script needs `pip install \(Self.pytorchPackages.joined(separator: " "))`")

        HERE = os.path.dirname(os.path.abspath(__file__))
        INPUT_SHAPE = \(Self.pythonList(inputShape))


        """
        s += dataReader
        s += torchHelpers
        s += "\nclass Model(nn.Module):\n    \"\"\"Descent's layers, named as Descent names them.\"\"\"\n\n    def __init__(self):\n        super().__init__()\n"
        var inits: [String] = [], forward: [String] = [], loads: [String] = []
        for step in steps {
            switch step {
            case let .dense(n, inputs, units, a):
                inits.append("self.\(n) = nn.Linear(\(inputs), \(units))")
                forward.append("x = \(torchActivation(a, "self.\(n)(x)"))")
                loads += ["self.\(n).weight.copy_(t(\"\(n).w\").T)", "self.\(n).bias.copy_(t(\"\(n).b\"))"]
            case .activation(let a): forward.append("x = \(torchActivation(a, "x"))")
            case .dropout(let rate): forward.append("x = F.dropout(x, \(rate), self.training)")
            case let .conv2d(n, c, f, kernel, stride, padding, input, a):
                inits.append("self.\(n) = nn.Conv2d(\(c), \(f), (\(kernel.0), \(kernel.1)), stride=(\(stride.0), \(stride.1)))")
                if padding == .same {
                    forward.append("x = same_padding(x, (\(kernel.0), \(kernel.1)), (\(stride.0), \(stride.1)))  # \(input.0)x\(input.1), TensorFlow's rule")
                }
                forward.append("x = \(torchActivation(a, "self.\(n)(x)"))")
                loads += ["self.\(n).weight.copy_(t(\"\(n).w\").reshape(\(kernel.0), \(kernel.1), \(c), \(f)).permute(3, 2, 0, 1))",
                          "self.\(n).bias.copy_(t(\"\(n).b\"))"]
            case let .maxPool2d(pool, stride):
                forward.append("x = F.max_pool2d(x, (\(pool.0), \(pool.1)), (\(stride.0), \(stride.1)))")
            case .flatten(let fromImage):
                forward.append(fromImage ? "x = x.permute(0, 2, 3, 1).flatten(1)  # channels-last order, as Descent flattens"
                                         : "x = x.flatten(1)")
            case let .embedding(n, v, d, masks):
                inits.append("self.\(n) = nn.Embedding(\(v), \(d))")
                if masks { forward.append("mask = (x != 0).float()  # padding (id 0) is left out of the mean") }
                forward.append("x = self.\(n)(x.long())")
                loads.append("self.\(n).weight.copy_(t(\"\(n).w\"))")
            case .globalAveragePooling1d(let masked):
                forward.append(masked ? "x = (x * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)"
                                      : "x = x.mean(1)")
            case let .simpleRNN(n, inputs, units, sequences):
                inits.append("self.\(n) = nn.RNN(\(inputs), \(units), nonlinearity=\"tanh\", batch_first=True)")
                forward.append(sequences ? "x, _ = self.\(n)(x)" : "x = self.\(n)(x)[0][:, -1]")
                loads += ["self.\(n).weight_ih_l0.copy_(t(\"\(n).w\").T)", "self.\(n).weight_hh_l0.copy_(t(\"\(n).r\").T)",
                          "self.\(n).bias_ih_l0.copy_(t(\"\(n).b\"))", "self.\(n).bias_hh_l0.zero_()  # Descent has one bias"]
            }
        }
        s += (inits.isEmpty ? ["pass"] : inits).map { "        " + $0 + "\n" }.joined()
        s += "\n    def forward(self, x):\n"
        if usesImages { s += "        x = x.permute(0, 3, 1, 2)  # NHWC (Descent, Keras) to NCHW (PyTorch)\n" }
        s += forward.map { "        " + $0 + "\n" }.joined()
        s += "        return x\n\n    @torch.no_grad()\n    def load_descent(self, tensors):\n"
        s += "        \"\"\"Descent's tensors (dense1.w …), converted to PyTorch's layouts.\"\"\"\n"
        s += "        def t(name):\n            return torch.from_numpy(tensors[name])\n\n"
        s += (loads.isEmpty ? ["pass"] : loads).map { "        " + $0 + "\n" }.joined()
        s += "\n\n" + numpyHead + "\n\n"
        s += """
        def main():
            parser = argparse.ArgumentParser(description="Check the exported model against Descent, then train it on with DDP.")
            parser.add_argument("--epochs", type=int, default=10)
            args = parser.parse_args()
            for key, value in (("RANK", "0"), ("WORLD_SIZE", "1"), ("LOCAL_RANK", "0"),
                               ("MASTER_ADDR", "127.0.0.1"), ("MASTER_PORT", "29500")):
                os.environ.setdefault(key, value)   # run alone when not started by torchrun
            cuda = torch.cuda.is_available()
            dist.init_process_group("nccl" if cuda else "gloo")
            rank, local = dist.get_rank(), int(os.environ["LOCAL_RANK"])
            device = torch.device(f"cuda:{local}") if cuda else torch.device("cpu")
            torch.manual_seed(0)

            x, y, train, descent = read_data(os.path.join(HERE, "\(name).csv"))
            model = Model()
            model.load_descent(load_file(os.path.join(HERE, "\(name).safetensors")))
            model.eval()
            with torch.no_grad():
                predictions = head(model(torch.from_numpy(x)).numpy())
            gap = float(np.max(np.abs(predictions - descent) / np.maximum(1.0, np.abs(descent))))
            if rank == 0:
                print(f"largest difference from Descent's outputs: {gap:.2e} over {len(x)} rows")
            if gap > 1e-5:
                sys.exit("the PyTorch model does not reproduce Descent's predictions")

            model.to(device)
            ddp = DistributedDataParallel(model, device_ids=[local] if cuda else None)
            train_set = TensorDataset(torch.from_numpy(x[train]), torch.from_numpy(y[train]))
            sampler = DistributedSampler(train_set, shuffle=True)
            batch = \(batch.map(String.init) ?? "len(train_set)")
            loader = DataLoader(train_set, batch_size=batch, sampler=sampler)
            optimizer = \(torchOptimizer)
            x_val, y_val = torch.from_numpy(x[~train]).to(device), torch.from_numpy(y[~train]).to(device)
            for epoch in range(1, args.epochs + 1):
                sampler.set_epoch(epoch)
                ddp.train()
                total, count = 0.0, 0
                for xb, yb in loader:
                    xb, yb = xb.to(device), yb.to(device)
                    optimizer.zero_grad()
                    loss = objective(ddp(xb), yb)\(regularizerTerm)
                    loss.backward()
                    optimizer.step()
                    total, count = total + loss.item() * len(xb), count + len(xb)
                if rank == 0:
                    ddp.eval()
                    with torch.no_grad():
                        val = objective(ddp(x_val), y_val).item() if len(x_val) else float("nan")
                    print(f"epoch {epoch}  loss {total / max(count, 1):.4f}  val loss {val:.4f}")
            dist.destroy_process_group()


        if __name__ == "__main__":
            main()

        """
        return s
    }

    private var torchHelpers: String {
        var s = "\ndef objective(output, target):\n"
        switch loss {
        case .ce: s += "    \"\"\"Softmax cross-entropy on logits (Descent's ce).\"\"\"\n    return F.cross_entropy(output, target.long())\n"
        case .bce: s += "    \"\"\"Binary cross-entropy on logits (Descent's bce).\"\"\"\n    return F.binary_cross_entropy_with_logits(output.squeeze(-1), target)\n"
        case .mse: s += "    \"\"\"Mean squared error (Descent's mse).\"\"\"\n    return F.mse_loss(output.squeeze(-1), target)\n"
        case .hinge: s += "    \"\"\"Hinge loss with labels 0/1 mapped to -1/+1 (Descent's hinge).\"\"\"\n    return torch.clamp(1 - (2 * target - 1) * output.squeeze(-1), min=0).mean()\n"
        }
        if usesImages {
            s += """


            def same_padding(x, kernel, stride):
                \"\"\"Zero padding for `same`: out = ceil(in / stride), the odd extra row and column at the bottom right.\"\"\"
                pads = []
                for size, k, s in ((x.shape[3], kernel[1], stride[1]), (x.shape[2], kernel[0], stride[0])):
                    total = max((-(-size // s) - 1) * s + k - size, 0)
                    pads += [total // 2, total - total // 2]
                return F.pad(x, pads)

            """
        }
        return s + "\n"
    }

    private func torchActivation(_ a: Activation, _ x: String) -> String {
        switch a {
        case .linear: x
        case .relu: "F.relu(\(x))"
        case .tanh: "torch.tanh(\(x))"
        case .sigmoid: "torch.sigmoid(\(x))"
        case .softmax: "F.softmax(\(x), dim=-1)"
        case .gelu: "F.gelu(\(x))"
        case .leakyrelu: "F.leaky_relu(\(x), 0.01)"
        }
    }

    private var torchOptimizer: String {
        switch optimizer {
        case .gd(let lr), .sgd(let lr): "torch.optim.SGD(ddp.parameters(), lr=\(lr))"
        case let .momentum(lr, m): "torch.optim.SGD(ddp.parameters(), lr=\(lr), momentum=\(m))"
        case let .nesterov(lr, m): "torch.optim.SGD(ddp.parameters(), lr=\(lr), momentum=\(m), nesterov=True)"
        case let .rmsprop(lr, rho, eps): "torch.optim.RMSprop(ddp.parameters(), lr=\(lr), alpha=\(rho), eps=\(eps))"
        case let .adagrad(lr, eps): "torch.optim.Adagrad(ddp.parameters(), lr=\(lr), eps=\(eps))"
        case let .adam(lr, b1, b2, eps, _): "torch.optim.Adam(ddp.parameters(), lr=\(lr), betas=(\(b1), \(b2)), eps=\(eps))"
        case let .adamw(lr, b1, b2, eps, decay):
            "torch.optim.AdamW(ddp.parameters(), lr=\(lr), betas=(\(b1), \(b2)), eps=\(eps), weight_decay=\(decay))"
        }
    }

    /// Descent's penalty on weights (not biases), added to the loss as Descent adds it.
    private var regularizerTerm: String {
        switch regularizer {
        case .l1(let s)?: " + \(s) * sum(p.abs().sum() for n, p in ddp.named_parameters() if \"bias\" not in n)"
        case .l2(let s)?: " + \(s) * sum((p * p).sum() for n, p in ddp.named_parameters() if \"bias\" not in n)"
        case nil: ""
        }
    }
}
