#!/usr/bin/env python3
"""Renders the JSON report of `refusalscope bench --json` as the Markdown tables of BENCHMARKS.md.
Usage: report_to_markdown.py bench.json > tables.md"""
import json
import sys


def fmt(value, digits=3):
	if value is None:
		return "n/a"
	if isinstance(value, float):
		return f"{value:.{digits}g}"
	return str(value)


def main():
	r = json.load(open(sys.argv[1]))
	out = []
	m = r.get("machine", {})
	out.append(f"Suite `{r.get('suite')}`, {r.get('date')}, {m.get('cpu')} ({m.get('cores')} cores), "
		f"{m.get('mem_total_mb')} MiB, {m.get('java')}; engine {r.get('engine')}; "
		f"load average at start {r.get('load_average_start')}, at end {r.get('load_average_end', 'n/a')}; "
		f"wall time {fmt(r.get('wall_s'))} s.")
	out.append("")
	out.append("| matmul | dtype | GFLOP/s median | min | max | repeats |")
	out.append("|---|---|---|---|---|---|")
	for g in r.get("gemm", []):
		out.append(f"| {g['m']}x{g['n']}x{g['k']} | {g['dtype']} | {fmt(g['gflops'])} | {fmt(g['gflops_min'])} | "
			f"{fmt(g['gflops_max'])} | {g['repeats']} |")
	out.append("")
	out.append("| shape | batch | seq | tokens/s median | min | max | GFLOP/s | % of matmul peak | peak RSS MiB | repeats |")
	out.append("|---|---|---|---|---|---|---|---|---|---|")
	peak = r.get("gemm_gflops")
	for f in r.get("forward", []):
		share = f"{100 * f['gflops'] / peak:.0f} %" if peak else "n/a"
		out.append(f"| {f['shape']} | {f['batch']} | {f['seq']} | {fmt(f['tokens_per_s'])} | {fmt(f['tokens_per_s_min'])} | "
			f"{fmt(f['tokens_per_s_max'])} | {fmt(f['gflops'])} | {share} | {fmt(f['peak_rss_mb'], 5)} | {f['repeats']} |")
	out.append("")
	for l in r.get("load", []):
		out.append(f"* load {l['shape']}: {fmt(l['seconds'])} s ({l['weights_dtype']} weights, compute {l['compute_dtype']}), "
			f"peak RSS {fmt(l['peak_rss_mb'], 5)} MiB")
	for g in r.get("generation", []):
		out.append(f"* generation {g['shape']} batch {g['batch']}, prompt {g['prompt_len']}, {g['new_tokens']} new tokens: "
			f"{fmt(g['tokens_per_s'])} new tokens/s ({fmt(g['tokens_per_s_min'])}..{fmt(g['tokens_per_s_max'])}), "
			f"prefill {fmt(g['prefill_s_median'])} s, decode {fmt(g.get('decode_tokens_per_s'))} tokens/s")
	b = r.get("baseline")
	if b:
		out.append(f"* PyTorch eager baseline ({b.get('torch')}, {b.get('threads')} threads, {b.get('dtype')}): "
			f"{fmt(b['tokens_per_s'])} tokens/s ({fmt(b['tokens_per_s_min'])}..{fmt(b['tokens_per_s_max'])}), "
			f"peak RSS {fmt(b.get('peak_rss_mb'), 5)} MiB, logits max |diff| vs ours {fmt(b.get('logits_max_abs_diff_vs_ours'))}")
	out.append(f"* **baseline_ratio** (ours / eager, {r.get('suite')}): {fmt(r.get('baseline_ratio'))}"
		+ (f" ({r['baseline_error']})" if r.get("baseline_error") else ""))
	for a in r.get("ablation", []):
		for s in a["stages"]:
			out.append(f"* ablation {a['shape']} {s['stage']} (SAE width {a['sae_width']} at layer {a['sae_layer']} of "
				f"{a['layers']}, {a['prompts']} prompt(s) of {a['prompt_len']} tokens): one at a time "
				f"{fmt(s['one_at_a_time_evals_per_s'])} evals/s, batched + prefix {fmt(s['batched_prefix_evals_per_s'])}, "
				f"batched with the edit at layer 0 {fmt(s['batched_edit_layer0_evals_per_s'])}; speed-up "
				f"{fmt(s['speedup_vs_one_at_a_time'])}x, prefix-cache speed-up {fmt(s['prefix_cache_speedup'])}x")
	out.append(f"* **ablation_speedup** (default model): {fmt(r.get('ablation_speedup'))}; "
		f"prefix_cache_speedup (gemma2-2b): {fmt(r.get('prefix_cache_speedup'))}")
	for s in r.get("sae", []):
		out.append(f"* SAE encode+decode d_model {s['d_model']}, width {s['width']}, batch {s['batch']}: "
			f"{fmt(s['activations_per_s'])} activations/s ({fmt(s['activations_per_s_min'])}..{fmt(s['activations_per_s_max'])}), "
			f"{fmt(s['gflops'])} GFLOP/s")
	t = r.get("sae_training")
	out.append(f"* SAE training: " + (f"{fmt(t['activations_per_s'])} activations/s ({t['architecture']}, width {t['width']}, "
		f"batch {t['batch']}, {t['steps']} steps)" if t else f"n/a ({r.get('sae_training_error')})"))
	d = r.get("dissect")
	out.append(f"* default dissect: " + (f"{fmt(d['wall_s'])} s" if d else "n/a"))
	for e in r.get("errors", []):
		out.append(f"* error in {e['section']}: {e['error']}")
	print("\n".join(out))


if __name__ == "__main__":
	main()
