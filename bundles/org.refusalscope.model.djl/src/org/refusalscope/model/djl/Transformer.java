package org.refusalscope.model.djl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.refusalscope.api.model.ActivationCapture;
import org.refusalscope.api.model.HookPoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * The decoder forward pass of Gemma-2 and Llama-3 on engine tensors, following transformers' eager implementations:
 * norms in float32, attention scores soft-capped and softmaxed in float32, everything else in the compute dtype
 * (float32 also when the weights are stored in float16, see {@link Precision}).
 * Every intermediate array is created in the manager of the activations, which the caller closes after the pass.
 */
final class Transformer {

	/** Per layer keys and values {@code [B, kvHeads, keys, headDim]} after rotary embedding, plus key validity. */
	static final class KvCache {
		final NDArray[] keys;
		final NDArray[] values;
		final NDManager manager;

		KvCache(int layers, NDManager manager) {
			this.keys = new NDArray[layers];
			this.values = new NDArray[layers];
			this.manager = manager;
		}
	}

	/** Identical sequences computed once below {@code layer}, then expanded to all rows. */
	record Sharing(int layer, int[] uniqueRows, int[] rowToUnique) {
	}

	/**
	 * What a pass returns.
	 *
	 * @param gather    per row, indices of the new tokens to return ({@code rows*perRow})
	 */
	record Outputs(int[] gather, int perRow, boolean logits, List<ActivationCapture> captures) {
	}

	record Result(NDArray logits, Map<ActivationCapture, NDArray> activations) {
	}

	private final ModelConfig config;
	private final TransformerWeights weights;
	private final DataType dtype;
	private final float[] invFreq;

	Transformer(ModelConfig config, TransformerWeights weights, DataType dtype) {
		this.config = config;
		this.weights = weights;
		this.dtype = dtype;
		this.invFreq = new float[config.invFreq().length];
		for(int i = 0; i < invFreq.length; i++) {
			invFreq[i] = (float) config.invFreq()[i];
		}
	}

	DataType dtype() {
		return dtype;
	}

	/** Runs all layers over {@code batch}; results are float32 arrays in {@code scope}. */
	Result run(NDManager scope, TokenBatch batch, EditSchedule edits, Sharing sharing, Outputs outputs, KvCache cache) {
		try(EngineThreads.Restore threads = EngineThreads.forPass(2.0 * config.parameterCount() * batch.rows()
				* batch.tokens(), config.hiddenSize())) {
			return pass(scope, batch, edits, sharing, outputs, cache);
		}
	}

	private Result pass(NDManager scope, TokenBatch batch, EditSchedule edits, Sharing sharing, Outputs outputs,
			KvCache cache) {
		boolean gemma = config.architecture() == ModelConfig.Architecture.GEMMA2;
		int sharedUntil = sharing == null ? 0 : sharing.layer();
		TokenBatch current = sharing == null ? batch : batch.select(sharing.uniqueRows());
		EditSchedule currentEdits = sharing == null ? edits : edits.select(sharing.uniqueRows());
		Geometry geometry = new Geometry(scope, current, config, invFreq, dtype);
		NDArray x = embed(scope, current);
		Map<ActivationCapture, NDArray> captured = new LinkedHashMap<>();
		for(int l = 0; l < config.numLayers(); l++) {
			if(sharing != null && l == sharedUntil) {
				x = expandShared(x, l, sharing, captured, cache);
				current = batch;
				currentEdits = edits;
				geometry = new Geometry(scope, current, config, invFreq, dtype);
			}
			// with half-precision storage, this block's weights exist in float32 only while the block runs
			TransformerWeights.Layer w = weights.forCompute(l);
			// a block's intermediates live in their own manager, freed when the block ends: kept in the pass's
			// scope they added up to about 450 MB per Gemma-2-2B layer at batch 8 x 128 (11 GB over 26 layers)
			try(NDManager blockScope = scope.newSubManager()) {
				x.attach(blockScope);
				x = block(x, l, w, gemma, geometry, cache, currentEdits, current, outputs, captured);
				x.attach(scope);
				for(NDArray kept : captured.values()) {
					kept.attach(scope);
				}
			} finally {
				weights.release(l, w);
			}
		}
		if(sharing != null && sharedUntil >= config.numLayers()) {
			x = expandShared(x, config.numLayers(), sharing, captured, cache);
		}
		NDArray logits = null;
		if(outputs.logits()) {
			NDArray last = norm(gather(x, outputs), weights.finalNorm);
			logits = weights.unembed(last).toType(DataType.FLOAT32, false);
			if(config.finalSoftcap() > 0) {
				logits = logits.div((float) config.finalSoftcap()).tanh().mul((float) config.finalSoftcap());
			}
		}
		return new Result(logits, captured);
	}

	private NDArray block(NDArray x, int l, TransformerWeights.Layer w, boolean gemma, Geometry geometry, KvCache cache,
			EditSchedule edits, TokenBatch batch, Outputs outputs, Map<ActivationCapture, NDArray> captured) {
		x = point(x, l, HookPoint.RESID_PRE, edits, batch, outputs, captured);
		NDArray attn = attention(norm(x, w.inputNorm()), l, w, geometry, cache);
		if(gemma) {
			attn = norm(attn, w.postAttentionNorm());
		}
		attn = point(attn, l, HookPoint.ATTN_OUT, edits, batch, outputs, captured);
		x = x.add(attn);
		NDArray mlpIn = norm(x, gemma ? w.preFeedforwardNorm() : w.postAttentionNorm());
		NDArray mlp = mlp(mlpIn, w);
		if(gemma) {
			mlp = norm(mlp, w.postFeedforwardNorm());
		}
		mlp = point(mlp, l, HookPoint.MLP_OUT, edits, batch, outputs, captured);
		x = x.add(mlp);
		return point(x, l, HookPoint.RESID_POST, edits, batch, outputs, captured);
	}

	/** From here on every row is computed: copies the shared rows' stream, captures and cached keys/values. */
	private static NDArray expandShared(NDArray x, int layer, Sharing sharing, Map<ActivationCapture, NDArray> captured,
			KvCache cache) {
		for(Map.Entry<ActivationCapture, NDArray> entry : captured.entrySet()) {
			entry.setValue(expandRows(entry.getValue(), sharing.rowToUnique()));
		}
		if(cache != null) {
			for(int below = 0; below < layer; below++) {
				cache.keys[below] = keep(cache, expandRows(cache.keys[below], sharing.rowToUnique()), cache.keys[below]);
				cache.values[below] = keep(cache, expandRows(cache.values[below], sharing.rowToUnique()),
						cache.values[below]);
			}
		}
		return expandRows(x, sharing.rowToUnique());
	}

	private static NDArray keep(KvCache cache, NDArray fresh, NDArray old) {
		fresh.attach(cache.manager);
		old.close();
		return fresh;
	}

	private NDArray point(NDArray x, int layer, HookPoint hook, EditSchedule edits, TokenBatch batch, Outputs outputs,
			Map<ActivationCapture, NDArray> captured) {
		NDArray edited = edits.apply(x, layer, hook, batch.generated());
		ActivationCapture capture = new ActivationCapture(layer, hook);
		if(outputs.captures().contains(capture)) {
			captured.put(capture, gather(edited, outputs).toType(DataType.FLOAT32, false));
		}
		return edited;
	}

	/** Rows {@code [B, P, H]} of the requested new-token indices. */
	private static NDArray gather(NDArray x, Outputs outputs) {
		int rows = (int) x.getShape().get(0);
		long hidden = x.getShape().get(2);
		long[] index = new long[rows * outputs.perRow()];
		for(int i = 0; i < index.length; i++) {
			index[i] = outputs.gather()[i];
		}
		NDArray idx = x.getManager().create(index, new Shape(rows, outputs.perRow(), 1)).broadcast(rows, outputs.perRow(),
				hidden);
		return x.gather(idx, 1);
	}

	private static NDArray expandRows(NDArray x, int[] rowToUnique) {
		long[] index = new long[rowToUnique.length];
		for(int i = 0; i < index.length; i++) {
			index[i] = rowToUnique[i];
		}
		Shape shape = x.getShape();
		long[] dims = shape.getShape().clone();
		dims[0] = index.length;
		long[] indexShape = new long[dims.length];
		java.util.Arrays.fill(indexShape, 1);
		indexShape[0] = index.length;
		NDArray idx = x.getManager().create(index, new Shape(indexShape)).broadcast(new Shape(dims));
		return x.gather(idx, 0);
	}

	private NDArray embed(NDManager scope, TokenBatch batch) {
		int n = batch.rows() * batch.tokens();
		long hidden = config.hiddenSize();
		for(long id : batch.ids()) {
			if(id < 0 || id >= config.vocabSize()) {
				throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + config.vocabSize());
			}
		}
		NDArray idx = scope.create(batch.ids(), new Shape(n, 1)).broadcast(n, hidden);
		NDArray x = weights.embed.gather(idx, 0);
		x.attach(scope);
		x = x.reshape(batch.rows(), batch.tokens(), hidden).toType(dtype, false);
		if(config.architecture() == ModelConfig.Architecture.GEMMA2) {
			// transformers multiplies by sqrt(hidden) cast to the activation dtype
			NDArray normalizer = scope.create((float) Math.sqrt(config.hiddenSize())).toType(dtype, false);
			x = x.mul(normalizer);
		}
		return x;
	}

	/** RMSNorm in float32; Gemma weights were stored as (1 + w) in float32, Llama weights in the compute dtype. */
	private NDArray norm(NDArray x, NDArray weight) {
		NDArray x32 = x.toType(DataType.FLOAT32, false);
		NDArray normalized = x32.div(x32.square().mean(new int[]{-1}, true).add((float) config.rmsNormEps()).sqrt());
		if(weight.getDataType() == DataType.FLOAT32) {
			return normalized.mul(weight).toType(dtype, false);
		}
		return normalized.toType(dtype, false).mul(weight);
	}

	private NDArray mlp(NDArray h, TransformerWeights.Layer w) {
		NDArray gate = h.matMul(w.gateT());
		NDArray up = h.matMul(w.upT());
		NDArray activated;
		if(config.activation() == ModelConfig.Activation.GELU_TANH) {
			NDArray inner = gate.add(gate.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
			activated = gate.mul(inner.tanh().add(1f)).mul(0.5f);
		} else {
			activated = gate.mul(Activation.sigmoid(gate));
		}
		return activated.mul(up).matMul(w.downT());
	}

	private NDArray attention(NDArray h, int layer, TransformerWeights.Layer w, Geometry geometry, KvCache cache) {
		int b = (int) h.getShape().get(0);
		int t = (int) h.getShape().get(1);
		int heads = config.numHeads();
		int kvHeads = config.numKvHeads();
		int rep = config.queriesPerKvHead();
		int hd = config.headDim();
		NDArray q = rope(h.matMul(w.qT()).reshape(b, t, heads, hd), geometry);
		NDArray k = rope(h.matMul(w.kT()).reshape(b, t, kvHeads, hd), geometry).transpose(0, 2, 1, 3);
		NDArray v = h.matMul(w.vT()).reshape(b, t, kvHeads, hd).transpose(0, 2, 1, 3);
		if(cache != null) {
			NDArray previousK = cache.keys[layer];
			NDArray previousV = cache.values[layer];
			if(previousK != null) {
				k = previousK.concat(k, 2);
				v = previousV.concat(v, 2);
				previousK.close();
				previousV.close();
			}
			// the cache owns the keys and values from now on; this pass only reads them
			k.attach(cache.manager);
			v.attach(cache.manager);
			cache.keys[layer] = k;
			cache.values[layer] = v;
		}
		NDArray queries = q.reshape(b, t, kvHeads, rep, hd).transpose(0, 2, 3, 1, 4); // [B, kv, rep, T, hd]
		NDArray scores = queries.matMul(k.expandDims(2).transpose(0, 1, 2, 4, 3)); // [B, kv, rep, T, keys]
		NDArray scores32 = scores.toType(DataType.FLOAT32, false).mul((float) config.queryScale());
		if(config.attnSoftcap() > 0) {
			float cap = (float) config.attnSoftcap();
			scores32 = scores32.div(cap).tanh().mul(cap);
		}
		boolean local = config.slidingLayers()[layer];
		scores32 = scores32.add(local ? geometry.localBias() : geometry.globalBias());
		NDArray probabilities = scores32.softmax(-1).toType(dtype, false);
		NDArray out = probabilities.matMul(v.expandDims(2)); // [B, kv, rep, T, hd]
		out = out.transpose(0, 3, 1, 2, 4).reshape(b, t, (long) heads * hd);
		return out.matMul(w.oT());
	}

	/** transformers' rotate_half convention: the two halves of each head form the complex pairs. */
	private NDArray rope(NDArray x, Geometry geometry) {
		NDList halves = x.split(2, 3);
		NDArray rotated = halves.get(1).neg().concat(halves.get(0), 3);
		return x.mul(geometry.cos()).add(rotated.mul(geometry.sin()));
	}
}
