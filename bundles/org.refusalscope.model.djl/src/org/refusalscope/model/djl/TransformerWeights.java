package org.refusalscope.model.djl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.refusalscope.api.TensorView;
import org.refusalscope.io.safetensors.ShardedCheckpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The engine tensors of a checkpoint. Linear weights are kept as stored ({@code [out, in]}) plus a transposed view, so
 * activations multiply on the left and every result lands in the caller's manager.
 */
final class TransformerWeights {

	record Layer(NDArray inputNorm, NDArray postAttentionNorm, NDArray preFeedforwardNorm,
			NDArray postFeedforwardNorm, NDArray qT, NDArray kT, NDArray vT, NDArray oT, NDArray gateT, NDArray upT,
			NDArray downT) {
	}

	final NDArray embed; // [vocab, hidden]
	final NDArray lmHeadT; // [hidden, vocab]
	final NDArray finalNorm;
	final Layer[] layers;
	final String storedDtype;
	/** Keeps the mapped buffers reachable for as long as tensors may point into them. */
	private final List<TensorView> mapped = new ArrayList<>();

	TransformerWeights(ModelConfig config, ShardedCheckpoint checkpoint, Path folder, NDManager manager,
			DataType compute) throws IOException {
		boolean gemma = config.architecture() == ModelConfig.Architecture.GEMMA2;
		this.storedDtype = checkpoint.dtype();
		int h = config.hiddenSize();
		int qOut = config.numHeads() * config.headDim();
		int kvOut = config.numKvHeads() * config.headDim();
		int ff = config.intermediateSize();
		embed = matrix(checkpoint, "model.embed_tokens.weight", config.vocabSize(), h, manager, compute);
		if(config.tieWordEmbeddings() || !checkpoint.contains("lm_head.weight")) {
			if(!config.tieWordEmbeddings()) {
				throw new IOException(folder + ": missing tensor 'lm_head.weight' (tie_word_embeddings is false)");
			}
			lmHeadT = embed.transpose();
		} else {
			lmHeadT = matrix(checkpoint, "lm_head.weight", config.vocabSize(), h, manager, compute).transpose();
		}
		finalNorm = norm(checkpoint, "model.norm.weight", h, manager, gemma, compute);
		layers = new Layer[config.numLayers()];
		for(int i = 0; i < layers.length; i++) {
			String p = "model.layers." + i + ".";
			layers[i] = new Layer(norm(checkpoint, p + "input_layernorm.weight", h, manager, gemma, compute),
					norm(checkpoint, p + "post_attention_layernorm.weight", h, manager, gemma, compute),
					gemma ? norm(checkpoint, p + "pre_feedforward_layernorm.weight", h, manager, true, compute) : null,
					gemma ? norm(checkpoint, p + "post_feedforward_layernorm.weight", h, manager, true, compute) : null,
					matrix(checkpoint, p + "self_attn.q_proj.weight", qOut, h, manager, compute).transpose(),
					matrix(checkpoint, p + "self_attn.k_proj.weight", kvOut, h, manager, compute).transpose(),
					matrix(checkpoint, p + "self_attn.v_proj.weight", kvOut, h, manager, compute).transpose(),
					matrix(checkpoint, p + "self_attn.o_proj.weight", h, qOut, manager, compute).transpose(),
					matrix(checkpoint, p + "mlp.gate_proj.weight", ff, h, manager, compute).transpose(),
					matrix(checkpoint, p + "mlp.up_proj.weight", ff, h, manager, compute).transpose(),
					matrix(checkpoint, p + "mlp.down_proj.weight", h, ff, manager, compute).transpose());
		}
	}

	private NDArray matrix(ShardedCheckpoint checkpoint, String name, long rows, long cols, NDManager manager,
			DataType compute) throws IOException {
		TensorView view = checkpoint.tensor(name);
		if(!Arrays.equals(view.shape(), new long[]{rows, cols})) {
			throw new IOException("tensor '" + name + "' has shape " + Arrays.toString(view.shape()) + ", config.json implies ["
					+ rows + ", " + cols + "]");
		}
		return toEngine(view, manager, compute);
	}

	/** Gemma-2 norms are applied as (1 + w) in float32; Llama norms as w in the compute dtype, as transformers does. */
	private NDArray norm(ShardedCheckpoint checkpoint, String name, long size, NDManager manager, boolean gemma,
			DataType compute) throws IOException {
		TensorView view = checkpoint.tensor(name);
		if(!Arrays.equals(view.shape(), new long[]{size})) {
			throw new IOException("tensor '" + name + "' has shape " + Arrays.toString(view.shape()) + ", expected [" + size
					+ "]");
		}
		NDArray weight = manager.create(view.toFloatArray(), new Shape(size));
		if(gemma) {
			NDArray plusOne = weight.add(1f);
			weight.close();
			return plusOne;
		}
		if(compute == DataType.FLOAT32) {
			return weight;
		}
		NDArray converted = weight.toType(compute, false);
		weight.close();
		return converted;
	}

	/**
	 * Wraps the mapped bytes when they already have the compute dtype (no copy: the tensor reads the page cache).
	 * Otherwise converts in chunks of rows through a small float32 buffer, because DJL's PyTorch binding has no
	 * bfloat16 type (neither for creation nor for casts) and a whole-tensor staging buffer would double the peak.
	 */
	private NDArray toEngine(TensorView view, NDManager manager, DataType compute) throws IOException {
		return toEngine(view, manager, compute, mapped);
	}

	/** See {@link #toEngine(TensorView, NDManager, DataType)}; wrapped views are added to {@code keepAlive}. */
	static NDArray toEngine(TensorView view, NDManager manager, DataType compute, List<TensorView> keepAlive)
			throws IOException {
		DataType stored = switch(view.dtype()) {
			case "F32" -> DataType.FLOAT32;
			case "F16" -> DataType.FLOAT16;
			case "BF16" -> null;
			default -> throw new IOException("tensor '" + view.name() + "' has unsupported dtype " + view.dtype());
		};
		Shape shape = new Shape(view.shape());
		if(stored == compute && view.bytes().isDirect()) {
			keepAlive.add(view);
			return manager.create(view.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN), shape, stored);
		}
		long rows = view.shape().length == 0 ? 1 : view.shape()[0];
		long rowElements = Math.max(1, view.elementCount() / Math.max(1, rows));
		long rowsPerChunk = Math.max(1, CHUNK_ELEMENTS / rowElements);
		NDList chunks = new NDList();
		ByteBuffer source = view.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
		for(long from = 0; from < rows; from += rowsPerChunk) {
			long to = Math.min(rows, from + rowsPerChunk);
			int count = (int) ((to - from) * rowElements);
			int first = (int) (from * rowElements);
			ByteBuffer staging = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
			widen(source, view.dtype(), first, count, staging.asFloatBuffer());
			long[] chunkShape = view.shape().clone();
			chunkShape[0] = to - from;
			try(NDArray chunk = manager.create(staging, new Shape(chunkShape), DataType.FLOAT32)) {
				chunks.add(compute == DataType.FLOAT32 ? chunk.duplicate() : chunk.toType(compute, true));
			}
		}
		if(chunks.size() == 1) {
			return chunks.get(0);
		}
		NDArray whole = NDArrays.concat(chunks, 0);
		chunks.close();
		return whole;
	}

	private static final long CHUNK_ELEMENTS = 1L << 22;

	/** Bulk copy-and-widen of {@code count} elements starting at {@code first} into float32. */
	private static void widen(ByteBuffer data, String dtype, int first, int count, FloatBuffer out) {
		if(dtype.equals("F32")) {
			out.put(data.slice(first * 4, count * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
			return;
		}
		short[] halves = new short[count];
		data.slice(first * 2, count * 2).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(halves);
		float[] floats = new float[count];
		if(dtype.equals("BF16")) {
			for(int i = 0; i < count; i++) {
				floats[i] = Float.intBitsToFloat(halves[i] << 16);
			}
		} else {
			for(int i = 0; i < count; i++) {
				floats[i] = Float.float16ToFloat(halves[i]);
			}
		}
		out.put(floats);
	}
}
