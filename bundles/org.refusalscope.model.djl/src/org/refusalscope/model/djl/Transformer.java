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

		/** The outputs of some rows (in that order). */
		Outputs select(int[] rows) {
			int[] selected = new int[rows.length * perRow];
			for(int i = 0; i < rows.length; i++) {
				System.arraycopy(gather, rows[i] * perRow, selected, i * perRow, perRow);
			}
			return new Outputs(selected, perRow, logits, captures);
		}

		/** Per row and asked token: whether it is a generated token of {@code batch}. */
		boolean[] generated(TokenBatch batch) {
			boolean[] out = new boolean[gather.length];
			for(int i = 0; i < gather.length; i++) {
				out[i] = batch.generated()[(i / perRow) * batch.tokens() + gather[i]];
			}
			return out;
		}
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

	/**
	 * The blocks below {@code sharing.layer()} run once per distinct sequence, then the rows are expanded; edits of
	 * the last shared block's {@code resid_post} are applied just after the expansion. When fewer tokens are asked
	 * for than the batch has, the last block computes keys and values for every token but everything else only at
	 * the asked tokens (nothing above it reads the others).
	 */
	private Result pass(NDManager scope, TokenBatch batch, EditSchedule edits, Sharing sharing, Outputs outputs,
			KvCache cache) {
		boolean gemma = config.architecture() == ModelConfig.Architecture.GEMMA2;
		int layers = config.numLayers();
		int sharedUntil = sharing == null ? 0 : sharing.layer();
		TokenBatch current = sharing == null ? batch : batch.select(sharing.uniqueRows());
		EditSchedule currentEdits = sharing == null ? edits : edits.select(sharing.uniqueRows());
		Outputs currentOutputs = sharing == null ? outputs : outputs.select(sharing.uniqueRows());
		Geometry geometry = new Geometry(scope, current, config, invFreq, dtype);
		boolean narrowLastBlock = outputs.perRow() < batch.tokens();
		NDArray x = embed(scope, current);
		Map<ActivationCapture, NDArray> captured = new LinkedHashMap<>();
		for(int l = 0; l <= layers; l++) {
			if(sharing != null && l == sharedUntil) {
				x = expandShared(x, l, sharing, captured, cache);
				current = batch;
				currentEdits = edits;
				currentOutputs = outputs;
				geometry = new Geometry(scope, current, config, invFreq, dtype);
				if(l > 0) {
					boolean narrowed = narrowLastBlock && l == layers;
					x = point(x, l - 1, HookPoint.RESID_POST, edits, narrowed ? outputs.generated(batch) : batch.generated(),
							outputs, captured, narrowed);
				}
			}
			if(l == layers) {
				break;
			}
			// with half-precision storage, this block's weights exist in float32 only while the block runs
			TransformerWeights.Layer w = weights.forCompute(l);
			// a block's intermediates live in their own manager, freed when the block ends: kept in the pass's
			// scope they added up to about 450 MB per Gemma-2-2B layer at batch 8 x 128 (11 GB over 26 layers)
			try(NDManager blockScope = scope.newSubManager()) {
				x.attach(blockScope);
				BlockContext context = new BlockContext(l, w, gemma, geometry, cache, currentEdits, current, currentOutputs,
						captured, narrowLastBlock && l == layers - 1, sharing != null && l == sharedUntil - 1);
				x = block(x, context);
				x.attach(scope);
				for(NDArray kept : captured.values()) {
					kept.attach(scope);
				}
			} finally {
				weights.release(l, w);
			}
		}
		NDArray logits = null;
		if(outputs.logits()) {
			NDArray last = norm(narrowLastBlock ? x : gather(x, outputs), weights.finalNorm);
			logits = weights.unembed(last).toType(DataType.FLOAT32, false);
			if(config.finalSoftcap() > 0) {
				logits = logits.div((float) config.finalSoftcap()).tanh().mul((float) config.finalSoftcap());
			}
		}
		return new Result(logits, captured);
	}

	/**
	 * What one block needs besides the stream.
	 *
	 * @param narrow         compute the block's output only at the asked tokens (the last block)
	 * @param deferResidPost leave the {@code resid_post} point to the pass (rows are expanded after this block)
	 */
	private record BlockContext(int layer, TransformerWeights.Layer w, boolean gemma, Geometry geometry, KvCache cache,
			EditSchedule edits, TokenBatch batch, Outputs outputs, Map<ActivationCapture, NDArray> captured, boolean narrow,
			boolean deferResidPost) {
	}

	private NDArray block(NDArray x, BlockContext c) {
		int l = c.layer();
		TransformerWeights.Layer w = c.w();
		x = point(x, l, HookPoint.RESID_PRE, c.edits(), c.batch().generated(), c.outputs(), c.captured(), false);
		NDArray keysIn = norm(x, w.inputNorm());
		NDArray queriesIn = keysIn;
		Geometry queries = c.geometry();
		boolean[] generated = c.batch().generated();
		if(c.narrow()) {
			queriesIn = gather(keysIn, c.outputs());
			x = gather(x, c.outputs());
			queries = c.geometry().queriesAt(c.outputs().gather(), c.outputs().perRow());
			generated = c.outputs().generated(c.batch());
		}
		NDArray attn = attention(queriesIn, keysIn, l, w, queries, c.geometry(), c.cache());
		if(c.gemma()) {
			attn = norm(attn, w.postAttentionNorm());
		}
		attn = point(attn, l, HookPoint.ATTN_OUT, c.edits(), generated, c.outputs(), c.captured(), c.narrow());
		x = x.add(attn);
		NDArray mlpIn = norm(x, c.gemma() ? w.preFeedforwardNorm() : w.postAttentionNorm());
		NDArray mlp = mlp(mlpIn, w);
		if(c.gemma()) {
			mlp = norm(mlp, w.postFeedforwardNorm());
		}
		mlp = point(mlp, l, HookPoint.MLP_OUT, c.edits(), generated, c.outputs(), c.captured(), c.narrow());
		x = x.add(mlp);
		if(c.deferResidPost()) {
			return x;
		}
		return point(x, l, HookPoint.RESID_POST, c.edits(), generated, c.outputs(), c.captured(), c.narrow());
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

	/**
	 * Applies the edits at this hook point and captures the result.
	 *
	 * @param generated per row and token of {@code x}: a generated token
	 * @param narrowed  {@code x} holds only the asked tokens already
	 */
	private NDArray point(NDArray x, int layer, HookPoint hook, EditSchedule edits, boolean[] generated,
			Outputs outputs, Map<ActivationCapture, NDArray> captured, boolean narrowed) {
		NDArray edited = edits.apply(x, layer, hook, generated);
		ActivationCapture capture = new ActivationCapture(layer, hook);
		if(outputs.captures().contains(capture)) {
			captured.put(capture, (narrowed ? edited : gather(edited, outputs)).toType(DataType.FLOAT32, false));
		}
		return edited;
	}

	/** Rows {@code [B, P, H]} of the requested new-token indices. */
	private static NDArray gather(NDArray x, Outputs outputs) {
		return Geometry.selectTokens(x, 1, outputs.gather(), outputs.perRow());
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
			return normalized.muli(weight).toType(dtype, false);
		}
		return normalized.toType(dtype, false).mul(weight);
	}

	/**
	 * Gated MLP. GeLU-tanh is computed as {@code g * sigmoid(2 * sqrt(2/pi) * (g + 0.044715 g^3))}, which equals
	 * {@code 0.5 g (1 + tanh(sqrt(2/pi) (g + 0.044715 g^3)))}; the temporaries are updated in place: each fresh
	 * {@code [B, T, intermediate]} array costs page faults, and the eight-op form took 600 ms per Gemma-2-2B layer
	 * at batch 8 x 128 (BENCHMARKS.md).
	 */
	private NDArray mlp(NDArray h, TransformerWeights.Layer w) {
		NDArray gate = h.matMul(w.gateT());
		NDArray up = h.matMul(w.upT());
		NDArray activated;
		if(config.activation() == ModelConfig.Activation.GELU_TANH) {
			float twoC = (float) (2 * Math.sqrt(2 / Math.PI));
			NDArray z = gate.square();
			z.muli(twoC * 0.044715f).addi(twoC).muli(gate);
			activated = Activation.sigmoid(z);
		} else {
			activated = Activation.sigmoid(gate);
		}
		activated.muli(gate).muli(up);
		return activated.matMul(w.downT());
	}

	/**
	 * Self-attention of the {@code queriesIn} tokens over all tokens of {@code keysIn} (the same array, or some of its
	 * tokens per row when the block is narrowed).
	 */
	private NDArray attention(NDArray queriesIn, NDArray keysIn, int layer, TransformerWeights.Layer w, Geometry queries,
			Geometry keysGeometry, KvCache cache) {
		int b = (int) keysIn.getShape().get(0);
		int t = (int) keysIn.getShape().get(1);
		int tq = (int) queriesIn.getShape().get(1);
		int heads = config.numHeads();
		int kvHeads = config.numKvHeads();
		int rep = config.queriesPerKvHead();
		int hd = config.headDim();
		NDArray q = rope(queriesIn.matMul(w.qT()).reshape(b, tq, heads, hd), queries);
		NDArray k = rope(keysIn.matMul(w.kT()).reshape(b, t, kvHeads, hd), keysGeometry).transpose(0, 2, 1, 3);
		NDArray v = keysIn.matMul(w.vT()).reshape(b, t, kvHeads, hd).transpose(0, 2, 1, 3);
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
		NDArray grouped = q.reshape(b, tq, kvHeads, rep, hd).transpose(0, 2, 3, 1, 4); // [B, kv, rep, Tq, hd]
		NDArray scores = grouped.matMul(k.expandDims(2).transpose(0, 1, 2, 4, 3)); // [B, kv, rep, T, keys]
		NDArray scores32 = scores.toType(DataType.FLOAT32, false).mul((float) config.queryScale());
		if(config.attnSoftcap() > 0) {
			float cap = (float) config.attnSoftcap();
			scores32 = scores32.div(cap).tanh().mul(cap);
		}
		boolean local = config.slidingLayers()[layer];
		scores32 = scores32.add(local ? queries.localBias() : queries.globalBias());
		NDArray probabilities = scores32.softmax(-1).toType(dtype, false);
		NDArray out = probabilities.matMul(v.expandDims(2)); // [B, kv, rep, T, hd]
		out = out.transpose(0, 3, 1, 2, 4).reshape(b, tq, (long) heads * hd);
		return out.matMul(w.oT());
	}

	/** transformers' rotate_half convention: the two halves of each head form the complex pairs. */
	private NDArray rope(NDArray x, Geometry geometry) {
		NDList halves = x.split(2, 3);
		NDArray rotated = halves.get(1).neg().concat(halves.get(0), 3);
		return x.mul(geometry.cos()).add(rotated.mul(geometry.sin()));
	}
}
