package org.refusalscope.model.djl.tests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.refusalscope.api.model.Edit;
import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.PositionScope;
import org.refusalscope.testsupport.TinyCheckpoint;

/**
 * An independent forward pass in double precision with plain loops, written from the transformers modelling code of
 * Gemma-2 and Llama (not from the backend): the specification the engine implementation is tested against.
 */
final class Reference {

	private final TinyCheckpoint c;

	/** Residual stream per hook, layer and position, and logits per position (all positions). */
	static final class Trace {
		final Map<String, double[][]> hooks = new LinkedHashMap<>();
		double[][] logits;

		double[] at(int layer, HookPoint hook, int position) {
			return hooks.get(layer + ":" + hook)[position];
		}
	}

	Reference(TinyCheckpoint checkpoint) {
		this.c = checkpoint;
	}

	Trace forward(int[] ids, List<Edit> edits, int promptLength) {
		int n = ids.length;
		int h = c.hidden;
		Trace trace = new Trace();
		double[][] x = new double[n][h];
		double[] embed = c.get("model.embed_tokens.weight");
		for(int t = 0; t < n; t++) {
			for(int i = 0; i < h; i++) {
				x[t][i] = embed[ids[t] * h + i] * (c.gemma ? (float) Math.sqrt(h) : 1.0);
			}
		}
		for(int l = 0; l < c.layers; l++) {
			String p = "model.layers." + l + ".";
			x = edit(x, l, HookPoint.RESID_PRE, edits, promptLength);
			trace.hooks.put(l + ":" + HookPoint.RESID_PRE, copy(x));
			double[][] attn = attention(rows(x, c.get(p + "input_layernorm.weight")), l);
			if(c.gemma) {
				attn = rows(attn, c.get(p + "post_attention_layernorm.weight"));
			}
			attn = edit(attn, l, HookPoint.ATTN_OUT, edits, promptLength);
			trace.hooks.put(l + ":" + HookPoint.ATTN_OUT, copy(attn));
			add(x, attn);
			double[][] mlpIn = rows(x, c.get(p + (c.gemma ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight")));
			double[][] mlp = new double[n][];
			for(int t = 0; t < n; t++) {
				mlp[t] = mlp(mlpIn[t], p);
			}
			if(c.gemma) {
				mlp = rows(mlp, c.get(p + "post_feedforward_layernorm.weight"));
			}
			mlp = edit(mlp, l, HookPoint.MLP_OUT, edits, promptLength);
			trace.hooks.put(l + ":" + HookPoint.MLP_OUT, copy(mlp));
			add(x, mlp);
			x = edit(x, l, HookPoint.RESID_POST, edits, promptLength);
			trace.hooks.put(l + ":" + HookPoint.RESID_POST, copy(x));
		}
		double[][] last = rows(x, c.get("model.norm.weight"));
		double[] head = c.gemma ? c.get("model.embed_tokens.weight") : c.get("lm_head.weight");
		trace.logits = new double[n][c.vocab];
		for(int t = 0; t < n; t++) {
			for(int v = 0; v < c.vocab; v++) {
				double sum = 0;
				for(int i = 0; i < h; i++) {
					sum += head[v * h + i] * last[t][i];
				}
				if(c.finalSoftcap > 0) {
					sum = Math.tanh(sum / c.finalSoftcap) * c.finalSoftcap;
				}
				trace.logits[t][v] = sum;
			}
		}
		return trace;
	}

	private double[][] edit(double[][] x, int layer, HookPoint hook, List<Edit> edits, int promptLength) {
		for(Edit edit : edits) {
			boolean here = edit.layer() == layer && edit.hook() == hook;
			if(edit.layer() == Edit.ALL_LAYERS) {
				here = hook != HookPoint.RESID_POST;
			}
			if(!here) {
				continue;
			}
			for(int t = 0; t < x.length; t++) {
				boolean generated = t >= promptLength;
				PositionScope scope = edit.scope();
				if(scope == PositionScope.PROMPT && generated || scope == PositionScope.GENERATED && !generated) {
					continue;
				}
				x[t] = EditMath.apply(edit, x[t]);
			}
		}
		return x;
	}

	private double[][] attention(double[][] x, int layer) {
		String p = "model.layers." + layer + ".";
		int n = x.length;
		int hd = c.headDim;
		double[][] q = project(x, c.get(p + "self_attn.q_proj.weight"), c.heads * hd);
		double[][] k = project(x, c.get(p + "self_attn.k_proj.weight"), c.kvHeads * hd);
		double[][] v = project(x, c.get(p + "self_attn.v_proj.weight"), c.kvHeads * hd);
		double[] inv = inverseFrequencies();
		for(int t = 0; t < n; t++) {
			rotate(q[t], c.heads, t, inv);
			rotate(k[t], c.kvHeads, t, inv);
		}
		double scale = 1.0 / Math.sqrt(c.gemma ? c.queryPreAttnScalar : hd);
		boolean sliding = c.gemma && layer % 2 == 0;
		double[][] out = new double[n][c.heads * hd];
		for(int head = 0; head < c.heads; head++) {
			int kvHead = head / (c.heads / c.kvHeads);
			for(int i = 0; i < n; i++) {
				double[] scores = new double[n];
				double max = Double.NEGATIVE_INFINITY;
				for(int j = 0; j <= i; j++) {
					if(sliding && i - j >= c.window) {
						scores[j] = Double.NEGATIVE_INFINITY;
						continue;
					}
					double s = 0;
					for(int d = 0; d < hd; d++) {
						s += q[i][head * hd + d] * k[j][kvHead * hd + d];
					}
					s *= scale;
					if(c.attnSoftcap > 0) {
						s = Math.tanh(s / c.attnSoftcap) * c.attnSoftcap;
					}
					scores[j] = s;
					max = Math.max(max, s);
				}
				double total = 0;
				for(int j = 0; j <= i; j++) {
					scores[j] = scores[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(scores[j] - max);
					total += scores[j];
				}
				for(int j = 0; j <= i; j++) {
					for(int d = 0; d < hd; d++) {
						out[i][head * hd + d] += scores[j] / total * v[j][kvHead * hd + d];
					}
				}
			}
		}
		return project(out, c.get(p + "self_attn.o_proj.weight"), c.hidden);
	}

	/** rope_theta frequencies with the llama3 rescaling: low band / factor, high band kept, middle interpolated. */
	double[] inverseFrequencies() {
		double[] inv = new double[c.headDim / 2];
		for(int i = 0; i < inv.length; i++) {
			double base = Math.pow(c.theta, -2.0 * i / c.headDim);
			if(c.gemma) {
				inv[i] = base;
				continue;
			}
			double wavelength = 2 * Math.PI / base;
			double lowWavelength = c.originalContext / c.lowFreqFactor;
			double highWavelength = c.originalContext / c.highFreqFactor;
			if(wavelength < highWavelength) {
				inv[i] = base;
			} else if(wavelength > lowWavelength) {
				inv[i] = base / c.ropeFactor;
			} else {
				double smooth = (c.originalContext / wavelength - c.lowFreqFactor) / (c.highFreqFactor - c.lowFreqFactor);
				inv[i] = (1 - smooth) * base / c.ropeFactor + smooth * base;
			}
		}
		return inv;
	}

	/** Which llama3 band each frequency falls in: 0 high (kept), 1 middle (interpolated), 2 low (divided). */
	int[] bands() {
		int[] bands = new int[c.headDim / 2];
		for(int i = 0; i < bands.length; i++) {
			double wavelength = 2 * Math.PI / Math.pow(c.theta, -2.0 * i / c.headDim);
			bands[i] = wavelength < c.originalContext / c.highFreqFactor ? 0 : wavelength > c.originalContext / c.lowFreqFactor ? 2 : 1;
		}
		return bands;
	}

	private void rotate(double[] vector, int heads, int position, double[] inv) {
		int hd = c.headDim;
		int half = hd / 2;
		for(int head = 0; head < heads; head++) {
			for(int i = 0; i < half; i++) {
				double angle = position * inv[i];
				double a = vector[head * hd + i];
				double b = vector[head * hd + half + i];
				vector[head * hd + i] = a * Math.cos(angle) - b * Math.sin(angle);
				vector[head * hd + half + i] = b * Math.cos(angle) + a * Math.sin(angle);
			}
		}
	}

	private double[] mlp(double[] x, String p) {
		double[] gate = project(x, c.get(p + "mlp.gate_proj.weight"), c.intermediate);
		double[] up = project(x, c.get(p + "mlp.up_proj.weight"), c.intermediate);
		double[] hidden = new double[c.intermediate];
		for(int i = 0; i < hidden.length; i++) {
			double g = gate[i];
			double act = c.gemma ? 0.5 * g * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (g + 0.044715 * g * g * g)))
					: g / (1 + Math.exp(-g));
			hidden[i] = act * up[i];
		}
		return project(hidden, c.get(p + "mlp.down_proj.weight"), c.hidden);
	}

	private double[][] rows(double[][] x, double[] weight) {
		double[][] out = new double[x.length][];
		for(int t = 0; t < x.length; t++) {
			double sumSquares = 0;
			for(double value : x[t]) {
				sumSquares += value * value;
			}
			double inv = 1 / Math.sqrt(sumSquares / x[t].length + c.eps);
			out[t] = new double[x[t].length];
			for(int i = 0; i < x[t].length; i++) {
				out[t][i] = x[t][i] * inv * (c.gemma ? 1 + weight[i] : weight[i]);
			}
		}
		return out;
	}

	private static double[][] project(double[][] x, double[] weight, int outputs) {
		double[][] out = new double[x.length][];
		for(int t = 0; t < x.length; t++) {
			out[t] = project(x[t], weight, outputs);
		}
		return out;
	}

	/** y = W x with W stored [out, in] as in transformers' nn.Linear. */
	private static double[] project(double[] x, double[] weight, int outputs) {
		double[] y = new double[outputs];
		for(int o = 0; o < outputs; o++) {
			double sum = 0;
			for(int i = 0; i < x.length; i++) {
				sum += weight[o * x.length + i] * x[i];
			}
			y[o] = sum;
		}
		return y;
	}

	private static void add(double[][] x, double[][] delta) {
		for(int t = 0; t < x.length; t++) {
			for(int i = 0; i < x[t].length; i++) {
				x[t][i] += delta[t][i];
			}
		}
	}

	private static double[][] copy(double[][] x) {
		double[][] out = new double[x.length][];
		for(int t = 0; t < x.length; t++) {
			out[t] = x[t].clone();
		}
		return out;
	}

	static List<Edit> none() {
		return new ArrayList<>();
	}
}
