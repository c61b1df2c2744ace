package org.refusalscope.model.djl.training;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * The Llama forward pass written with DJL NDArray ops, differentiable under a GradientCollector (the training and
 * evaluation forward of the trainer; the platform's inference backend is a separate implementation). Every result is
 * created from an operand in the batch's manager (ids), so closing that manager frees the whole step.
 */
public final class LlamaForward {

	private static final float MASKED = -1e9f;

	private LlamaForward() {
	}

	/**
	 * @param ids       token ids [B, T] (int64)
	 * @param positions rotary positions [B, T] (int64): 0.. for right padding, shifted for left padding
	 * @param keyMask   1 for real tokens, 0 for padding [B, T] (float32)
	 * @param ablate    a unit direction [D] projected out of every residual write (directional ablation), or null
	 * @param residPost receives each block's output [B, T, D] when not null
	 * @return logits [B, T, V]
	 */
	public static NDArray logits(LlamaWeights weights, NDArray ids, NDArray positions, NDArray keyMask, NDArray ablate, List<NDArray> residPost) {
		return linear(hidden(weights, ids, positions, keyMask, ablate, residPost), weights.get("model.embed_tokens.weight"));
	}

	/**
	 * Cross-entropy on selected positions only: the logits (the costliest matrix product of a small model) are computed
	 * just for the rows of the flattened [B*T] batch named in lossRows, whose next tokens are lossTargets; the mean is
	 * weighted by lossWeights.
	 */
	public static NDArray selectedLoss(LlamaWeights weights, NDArray ids, NDArray positions, NDArray keyMask, NDArray lossRows, NDArray lossTargets,
			NDArray lossWeights) {
		NDArray hidden = hidden(weights, ids, positions, keyMask, null, null);
		NDArray flat = hidden.reshape(-1, weights.config().hiddenSize());
		NDArray rows = embed(lossRows, flat);
		NDArray logits = linear(rows, weights.get("model.embed_tokens.weight"));
		NDArray picked = logits.logSoftmax(-1).mul(lossTargets.oneHot(weights.config().vocabSize())).sum(new int[]{-1});
		return picked.mul(lossWeights).sum().neg().div(lossWeights.sum());
	}

	/** The final-norm hidden states [B, T, D]. */
	public static NDArray hidden(LlamaWeights weights, NDArray ids, NDArray positions, NDArray keyMask, NDArray ablate, List<NDArray> residPost) {
		LlamaConfig c = weights.config();
		NDManager manager = ids.getManager();
		long batch = ids.getShape().get(0);
		long length = ids.getShape().get(1);
		int hd = c.headDim();
		NDArray[] rope = ropeTables(c, manager);
		NDArray cos = embed(positions, rope[0]).expandDims(1);
		NDArray sin = embed(positions, rope[1]).expandDims(1);
		float[] future = new float[(int)(length * length)];
		for(int row = 0; row < length; row++) {
			for(int col = row + 1; col < length; col++) {
				future[(int)(row * length + col)] = MASKED;
			}
		}
		NDArray causal = manager.create(future, new Shape(length, length));
		NDArray mask = keyMask.sub(1f).mul(-MASKED).reshape(batch, 1, 1, length).add(causal);
		NDArray x = ablate(embed(ids, weights.get("model.embed_tokens.weight")), ablate);
		int groups = c.heads() / c.kvHeads();
		for(int l = 0; l < c.layers(); l++) {
			String p = "model.layers." + l + ".";
			NDArray h = rmsNorm(x, weights.get(p + "input_layernorm.weight"), c.rmsNormEps());
			NDArray q = heads(linear(h, weights.get(p + "self_attn.q_proj.weight")), batch, length, c.heads(), hd);
			NDArray k = heads(linear(h, weights.get(p + "self_attn.k_proj.weight")), batch, length, c.kvHeads(), hd);
			NDArray v = heads(linear(h, weights.get(p + "self_attn.v_proj.weight")), batch, length, c.kvHeads(), hd);
			q = rotate(q, cos, sin, hd);
			k = rotate(k, cos, sin, hd);
			if(groups > 1) {
				k = k.repeat(1, groups);
				v = v.repeat(1, groups);
			}
			NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul((float)(1.0 / Math.sqrt(hd))).add(mask);
			NDArray attended = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, (long)c.heads() * hd);
			x = x.add(ablate(linear(attended, weights.get(p + "self_attn.o_proj.weight")), ablate));
			NDArray h2 = rmsNorm(x, weights.get(p + "post_attention_layernorm.weight"), c.rmsNormEps());
			NDArray gate = linear(h2, weights.get(p + "mlp.gate_proj.weight"));
			NDArray up = linear(h2, weights.get(p + "mlp.up_proj.weight"));
			NDArray mlp = linear(gate.mul(Activation.sigmoid(gate)).mul(up), weights.get(p + "mlp.down_proj.weight"));
			x = x.add(ablate(mlp, ablate));
			if(residPost != null) {
				residPost.add(x);
			}
		}
		return rmsNorm(x, weights.get("model.norm.weight"), c.rmsNormEps());
	}

	/** Mean cross-entropy over the positions where lossMask is 1; targets[b, t] is the token after ids[b, t]. */
	public static NDArray loss(NDArray logits, NDArray targets, NDArray lossMask) {
		int vocab = (int)logits.getShape().get(2);
		NDArray logProbs = logits.logSoftmax(-1);
		NDArray picked = logProbs.mul(targets.oneHot(vocab)).sum(new int[]{-1});
		return picked.mul(lossMask).sum().neg().div(lossMask.sum());
	}

	private static NDArray ablate(NDArray write, NDArray direction) {
		if(direction == null) {
			return write;
		}
		return write.sub(write.matMul(direction).expandDims(-1).mul(direction));
	}

	static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
		NDArray scale = x.square().mean(new int[]{-1}, true).add((float)eps).sqrt();
		return x.div(scale).mul(weight);
	}

	private static NDArray linear(NDArray input, NDArray weight) {
		return Linear.linear(input, weight).singletonOrThrow();
	}

	private static NDArray embed(NDArray ids, NDArray table) {
		return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
	}

	private static NDArray heads(NDArray projected, long batch, long length, int heads, int hd) {
		return projected.reshape(batch, length, heads, hd).transpose(0, 2, 1, 3);
	}

	/** Hugging Face rotate_half convention: (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin) over the two halves. */
	private static NDArray rotate(NDArray x, NDArray cos, NDArray sin, int hd) {
		int half = hd / 2;
		NDArray first = x.get(new NDIndex("..., :{}", half));
		NDArray second = x.get(new NDIndex("..., {}:", half));
		NDArray rotated = NDArrays.concat(new NDList(second.neg(), first), -1);
		return x.mul(cos).add(rotated.mul(sin));
	}

	/** cos and sin tables [maxPositions, headDim], frequencies repeated over both halves (as in HF Llama). */
	static NDArray[] ropeTables(LlamaConfig c, NDManager manager) {
		int hd = c.headDim();
		int positions = c.maxPositions();
		float[] cos = new float[positions * hd];
		float[] sin = new float[positions * hd];
		for(int pos = 0; pos < positions; pos++) {
			for(int i = 0; i < hd / 2; i++) {
				double inverse = 1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / hd);
				double angle = pos * inverse;
				cos[pos * hd + i] = cos[pos * hd + i + hd / 2] = (float)Math.cos(angle);
				sin[pos * hd + i] = sin[pos * hd + i + hd / 2] = (float)Math.sin(angle);
			}
		}
		return new NDArray[]{manager.create(cos, new Shape(positions, hd)), manager.create(sin, new Shape(positions, hd))};
	}
}
