#!/usr/bin/env python3
"""Side-by-side baseline of `refusalscope bench`: the Gemma-2 / Llama-3 forward pass written the way Hugging Face
transformers computes it in eager mode (modeling_gemma2.py / modeling_llama.py, attn_implementation="eager"), in
plain PyTorch, on the same safetensors checkpoint and the same token ids. transformers itself is not needed.

Prints one JSON line: tokens/s (median, min, max over repeats), peak RSS, torch version and threads.
Usage: hf_eager_forward.py --model DIR --tokens ids.json [--repeats 3] [--budget S] [--dtype bfloat16|float16|float32]
       [--threads N]
"""
import argparse
import json
import math
import os
import resource
import struct
import sys
import time

import numpy as np
import torch


def read_safetensors(path, dtype):
	"""Memory-maps one safetensors file into tensors (BF16 through an int16 view) without copying the weights."""
	tensors = {}
	with open(path, "rb") as f:
		header_len = struct.unpack("<Q", f.read(8))[0]
		header = json.loads(f.read(header_len))
	base = 8 + header_len
	for name, info in header.items():
		if name == "__metadata__":
			continue
		start, end = info["data_offsets"]
		shape = tuple(info["shape"])
		if info["dtype"] == "BF16":
			array = np.memmap(path, dtype=np.int16, mode="c", offset=base + start, shape=shape)
			t = torch.from_numpy(array).view(torch.bfloat16)
		elif info["dtype"] == "F32":
			t = torch.from_numpy(np.memmap(path, dtype=np.float32, mode="c", offset=base + start, shape=shape))
		else:
			raise SystemExit(f"{path}: tensor {name} has unsupported dtype {info['dtype']}")
		tensors[name] = t if t.dtype == dtype else t.to(dtype)
	return tensors


def load_weights(folder, dtype):
	index = os.path.join(folder, "model.safetensors.index.json")
	if os.path.exists(index):
		with open(index) as f:
			files = sorted(set(json.load(f)["weight_map"].values()))
	else:
		files = ["model.safetensors"]
	weights = {}
	for file in files:
		weights.update(read_safetensors(os.path.join(folder, file), dtype))
	return weights


def blas_library():
	"""The BLAS library torch's matrix products run on (Debian's torch links libblas.so.3, whichever provides it)."""
	try:
		with open("/proc/self/maps") as f:
			paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
	except OSError:
		return None
	return sorted(paths)[0] if paths else None


def rope_inv_freq(cfg, head_dim):
	base = cfg.get("rope_theta", 10000.0)
	inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
	scaling = cfg.get("rope_scaling") or {}
	if scaling.get("rope_type", scaling.get("type")) == "llama3":
		# transformers' _compute_llama3_parameters
		factor = scaling["factor"]
		low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
		old_len = scaling["original_max_position_embeddings"]
		low_wavelen, high_wavelen = old_len / low, old_len / high
		wavelen = 2 * math.pi / inv_freq
		scaled = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
		smooth = (old_len / wavelen - low) / (high - low)
		smoothed = (1 - smooth) * scaled / factor + smooth * scaled
		medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
		inv_freq = torch.where(medium, smoothed, scaled)
	return inv_freq


def rotate_half(x):
	half = x.shape[-1] // 2
	return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Model:
	def __init__(self, folder, dtype):
		with open(os.path.join(folder, "config.json")) as f:
			self.cfg = json.load(f)
		self.dtype = dtype
		self.w = load_weights(folder, dtype)
		c = self.cfg
		self.gemma = c["model_type"] == "gemma2"
		self.layers = c["num_hidden_layers"]
		self.heads = c["num_attention_heads"]
		self.kv_heads = c.get("num_key_value_heads", self.heads)
		self.head_dim = c.get("head_dim") or c["hidden_size"] // self.heads
		self.eps = c.get("rms_norm_eps", 1e-6)
		self.scaling = (c["query_pre_attn_scalar"] if self.gemma else self.head_dim) ** -0.5
		self.inv_freq = rope_inv_freq(c, self.head_dim)

	def norm(self, x, name):
		w = self.w[name]
		if self.gemma:  # Gemma2RMSNorm: float32 throughout, scale (1 + w)
			xf = x.float()
			out = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
			return (out * (1.0 + w.float())).type_as(x)
		xf = x.to(torch.float32)  # LlamaRMSNorm
		xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
		return w * xf.to(x.dtype)

	def attention(self, x, p, cos, sin, mask):
		b, s, _ = x.shape
		q = torch.nn.functional.linear(x, self.w[p + "self_attn.q_proj.weight"]).view(b, s, self.heads, self.head_dim).transpose(1, 2)
		k = torch.nn.functional.linear(x, self.w[p + "self_attn.k_proj.weight"]).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
		v = torch.nn.functional.linear(x, self.w[p + "self_attn.v_proj.weight"]).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
		q = q * cos + rotate_half(q) * sin
		k = k * cos + rotate_half(k) * sin
		groups = self.heads // self.kv_heads
		k = k[:, :, None].expand(b, self.kv_heads, groups, s, self.head_dim).reshape(b, self.heads, s, self.head_dim)
		v = v[:, :, None].expand(b, self.kv_heads, groups, s, self.head_dim).reshape(b, self.heads, s, self.head_dim)
		scores = torch.matmul(q, k.transpose(2, 3)) * self.scaling
		cap = self.cfg.get("attn_logit_softcapping") if self.gemma else None
		if cap:
			scores = torch.tanh(scores / cap) * cap
		scores = scores + mask
		probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
		out = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, self.heads * self.head_dim)
		return torch.nn.functional.linear(out, self.w[p + "self_attn.o_proj.weight"])

	def mlp(self, x, p):
		gate = torch.nn.functional.linear(x, self.w[p + "mlp.gate_proj.weight"])
		act = torch.nn.functional.gelu(gate, approximate="tanh") if self.gemma else torch.nn.functional.silu(gate)
		up = torch.nn.functional.linear(x, self.w[p + "mlp.up_proj.weight"])
		return torch.nn.functional.linear(act * up, self.w[p + "mlp.down_proj.weight"])

	@torch.no_grad()
	def forward_last_logits(self, ids):
		b, s = ids.shape
		h = torch.nn.functional.embedding(ids, self.w["model.embed_tokens.weight"])
		if self.gemma:
			h = h * torch.tensor(self.cfg["hidden_size"] ** 0.5, dtype=h.dtype)
		positions = torch.arange(s, dtype=torch.float32)
		freqs = torch.outer(positions, self.inv_freq)
		emb = torch.cat((freqs, freqs), dim=-1)
		cos, sin = emb.cos().to(self.dtype), emb.sin().to(self.dtype)
		mask = torch.full((s, s), torch.finfo(self.dtype).min, dtype=self.dtype).triu(1)
		for layer in range(self.layers):
			p = f"model.layers.{layer}."
			if self.gemma:
				residual = h
				h = self.norm(h, p + "input_layernorm.weight")
				h = self.norm(self.attention(h, p, cos, sin, mask), p + "post_attention_layernorm.weight")
				h = residual + h
				residual = h
				h = self.norm(h, p + "pre_feedforward_layernorm.weight")
				h = self.norm(self.mlp(h, p), p + "post_feedforward_layernorm.weight")
				h = residual + h
			else:
				h = h + self.attention(self.norm(h, p + "input_layernorm.weight"), p, cos, sin, mask)
				h = h + self.mlp(self.norm(h, p + "post_attention_layernorm.weight"), p)
		h = self.norm(h, "model.norm.weight")[:, -1:, :]  # logits_to_keep=1, as generate() asks for the prefill
		head = self.w.get("lm_head.weight", self.w["model.embed_tokens.weight"])
		logits = torch.nn.functional.linear(h, head).float()
		cap = self.cfg.get("final_logit_softcapping") if self.gemma else None
		if cap:
			logits = torch.tanh(logits / cap) * cap
		return logits


def main():
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--model", required=True)
	parser.add_argument("--tokens", required=True, help="JSON list of equal-length token id lists")
	parser.add_argument("--repeats", type=int, default=3)
	parser.add_argument("--dtype", default="bfloat16", choices=["bfloat16", "float16", "float32"])
	parser.add_argument("--budget", type=float, default=float("inf"),
		help="stop repeating (after at least 2) once this many seconds were spent, as bench does for its rows")
	parser.add_argument("--threads", type=int, default=os.cpu_count())
	args = parser.parse_args()
	torch.set_num_threads(args.threads)
	dtype = {"bfloat16": torch.bfloat16, "float16": torch.float16, "float32": torch.float32}[args.dtype]
	with open(args.tokens) as f:
		ids = torch.tensor(json.load(f), dtype=torch.long)
	start = time.perf_counter()
	model = Model(args.model, dtype)
	load_s = time.perf_counter() - start
	model.forward_last_logits(ids[:1, :8])  # one small warm-up forward, as bench does once per model
	seconds = []
	while len(seconds) < args.repeats and (len(seconds) < 2 or sum(seconds) < args.budget):
		start = time.perf_counter()
		logits = model.forward_last_logits(ids)
		seconds.append(time.perf_counter() - start)
	tokens = ids.numel()
	rates = sorted(tokens / s for s in seconds)
	result = {
		"tokens_per_s": rates[len(rates) // 2] if len(rates) % 2 else (rates[len(rates) // 2 - 1] + rates[len(rates) // 2]) / 2,
		"tokens_per_s_min": rates[0],
		"tokens_per_s_max": rates[-1],
		"seconds": seconds,
		"batch": ids.shape[0],
		"seq": ids.shape[1],
		"dtype": args.dtype,
		"load_s": load_s,
		"finite_logits": bool(torch.isfinite(logits).all()),
		"logits_head": model.forward_last_logits(ids[:1])[0, -1, :16].tolist(),
		"torch": torch.__version__,
		"threads": torch.get_num_threads(),
		"blas": blas_library(),
		"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
	}
	print(json.dumps(result))


if __name__ == "__main__":
	sys.exit(main())
