package org.refusalscope.model.djl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The engine tensors of a checkpoint, held in the storage dtype of a {@link Precision}. Linear weights are kept as
 * stored ({@code [out, in]}) behind a transposed view, so activations multiply on the left and every result lands in
 * the caller's manager. With half-precision storage and float32 compute, {@link #forCompute(int)} gives one block's
 * matrices upcast to float32 and {@link #release} frees them after the block: only one block is ever inflated.
 */
final class TransformerWeights {

	record Layer(NDArray inputNorm, NDArray postAttentionNorm, NDArray preFeedforwardNorm,
			NDArray postFeedforwardNorm, NDArray qT, NDArray kT, NDArray vT, NDArray oT, NDArray gateT, NDArray upT,
			NDArray downT) {

		NDArray[] matrices() {
			return new NDArray[]{qT, kT, vT, oT, gateT, upT, downT};
		}

		/** float32 copies of the matrices (a transposed view upcasts to a transposed float32 tensor); norms shared. */
		Layer upcast() {
			return new Layer(inputNorm, postAttentionNorm, preFeedforwardNorm, postFeedforwardNorm, toFloat32(qT),
					toFloat32(kT), toFloat32(vT), toFloat32(oT), toFloat32(gateT), toFloat32(upT), toFloat32(downT));
		}
	}

	/** Rows of the unembedding upcast at a time: 64 M values, 256 MB in float32. */
	private static final long UNEMBED_CHUNK_VALUES = 1L << 26;

	final NDArray embed; // [vocab, hidden]
	/** {@code [vocab, hidden]} as stored; tied models share {@link #embed}. */
	private final NDArray lmHead;
	private final NDArray lmHeadT; // [hidden, vocab] view
	final NDArray finalNorm;
	final Layer[] layers;
	final String storedDtype;
	final Precision precision;
	/** Names of tensors kept in float32 because their values exceed the float16 range. */
	final List<String> keptInFloat32;
	/** Keeps the mapped buffers reachable for as long as tensors may point into them. */
	private final List<TensorView> mapped = new ArrayList<>();

	TransformerWeights(ModelConfig config, ShardedCheckpoint checkpoint, Path folder, NDManager manager,
			Precision precision) throws IOException {
		boolean gemma = config.architecture() == ModelConfig.Architecture.GEMMA2;
		this.storedDtype = checkpoint.dtype();
		this.precision = precision;
		WeightUpload upload = new WeightUpload(precision == Precision.FLOAT16);
		int h = config.hiddenSize();
		int qOut = config.numHeads() * config.headDim();
		int kvOut = config.numKvHeads() * config.headDim();
		int ff = config.intermediateSize();
		Loader load = new Loader(checkpoint, manager, upload);
		embed = load.matrix("model.embed_tokens.weight", config.vocabSize(), h);
		if(config.tieWordEmbeddings() || !checkpoint.contains("lm_head.weight")) {
			if(!config.tieWordEmbeddings()) {
				throw new IOException(folder + ": missing tensor 'lm_head.weight' (tie_word_embeddings is false)");
			}
			lmHead = embed;
		} else {
			lmHead = load.matrix("lm_head.weight", config.vocabSize(), h);
		}
		lmHeadT = lmHead.transpose();
		DataType normType = precision.compute;
		finalNorm = norm(checkpoint, "model.norm.weight", h, manager, gemma, normType);
		layers = new Layer[config.numLayers()];
		for(int i = 0; i < layers.length; i++) {
			String p = "model.layers." + i + ".";
			layers[i] = new Layer(norm(checkpoint, p + "input_layernorm.weight", h, manager, gemma, normType),
					norm(checkpoint, p + "post_attention_layernorm.weight", h, manager, gemma, normType),
					gemma ? norm(checkpoint, p + "pre_feedforward_layernorm.weight", h, manager, true, normType) : null,
					gemma ? norm(checkpoint, p + "post_feedforward_layernorm.weight", h, manager, true, normType) : null,
					load.matrix(p + "self_attn.q_proj.weight", qOut, h).transpose(),
					load.matrix(p + "self_attn.k_proj.weight", kvOut, h).transpose(),
					load.matrix(p + "self_attn.v_proj.weight", kvOut, h).transpose(),
					load.matrix(p + "self_attn.o_proj.weight", h, qOut).transpose(),
					load.matrix(p + "mlp.gate_proj.weight", ff, h).transpose(),
					load.matrix(p + "mlp.up_proj.weight", ff, h).transpose(),
					load.matrix(p + "mlp.down_proj.weight", h, ff).transpose());
		}
		keptInFloat32 = List.copyOf(upload.keptInFloat32());
		upload.reportClamped(folder.toString());
	}

	/** Block {@code l}'s weights in the compute dtype; pass the result to {@link #release} after the block. */
	Layer forCompute(int l) {
		return precision.upcasts() ? layers[l].upcast() : layers[l];
	}

	/** Frees the float32 copies {@link #forCompute} made for block {@code l}. */
	void release(int l, Layer used) {
		if(used == layers[l]) {
			return;
		}
		NDArray[] resident = layers[l].matrices();
		NDArray[] copies = used.matrices();
		for(int i = 0; i < copies.length; i++) {
			if(copies[i] != resident[i]) {
				copies[i].close();
			}
		}
	}

	/**
	 * Logits {@code [B, P, vocab]} of final-normed activations {@code [B, P, hidden]} (only the requested positions).
	 * With half storage the unembedding is upcast in chunks of rows, so a 256k x 2304 vocabulary never exists in
	 * float32 as a whole.
	 */
	NDArray unembed(NDArray last) {
		if(!precision.upcasts()) {
			return last.matMul(lmHeadT);
		}
		long vocab = lmHead.getShape().get(0);
		long hidden = lmHead.getShape().get(1);
		long rowsPerChunk = Math.max(1, UNEMBED_CHUNK_VALUES / hidden);
		NDList parts = new NDList();
		for(long from = 0; from < vocab; from += rowsPerChunk) {
			long to = Math.min(vocab, from + rowsPerChunk);
			// every engine array made from the weights lands in the model's manager: each is closed here
			try(NDArray rows = lmHead.get(new NDIndex().addSliceDim(from, to)); NDArray up = toFloat32(rows);
					NDArray upT = up.transpose()) {
				parts.add(last.matMul(upT));
			}
		}
		if(parts.size() == 1) {
			return parts.get(0);
		}
		NDArray logits = NDArrays.concat(parts, -1);
		parts.close();
		return logits;
	}

	/** A float32 copy, or the array itself when it already is float32 (a tensor kept in float32 at load). */
	private static NDArray toFloat32(NDArray array) {
		return array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
	}

	/** Reads matrices of the checkpoint into engine tensors of the storage dtype. */
	private final class Loader {
		private final ShardedCheckpoint checkpoint;
		private final NDManager manager;
		private final WeightUpload upload;

		Loader(ShardedCheckpoint checkpoint, NDManager manager, WeightUpload upload) {
			this.checkpoint = checkpoint;
			this.manager = manager;
			this.upload = upload;
		}

		NDArray matrix(String name, long rows, long cols) throws IOException {
			long[] shape = checkpoint.shape(name);
			if(!Arrays.equals(shape, new long[]{rows, cols})) {
				throw new IOException("tensor '" + name + "' has shape " + Arrays.toString(shape) + ", config.json implies ["
						+ rows + ", " + cols + "]");
			}
			String dtype = checkpoint.dtype(name);
			if(dtype.equals("F32") && precision.storage == DataType.FLOAT32) {
				// already the storage dtype: wrap the mapped bytes (no copy, the tensor reads the page cache)
				TensorView view = checkpoint.tensor(name);
				mapped.add(view);
				return manager.create(view.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN), new Shape(shape),
						DataType.FLOAT32);
			}
			// positional reads, not the mapping: converted bytes are not left behind as resident mapped pages
			return upload.upload(name, dtype, shape, (offset, length, staging) -> {
				checkpoint.read(name, offset, staging);
				return staging.flip();
			}, manager, precision.storage);
		}
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
	 * An engine tensor of {@code view} in {@code compute} dtype (for SAEs). Wraps the bytes when they already have
	 * that dtype and are direct (no copy); otherwise converts them into one engine tensor filled in place.
	 */
	static NDArray toEngine(TensorView view, NDManager manager, DataType compute, List<TensorView> keepAlive)
			throws IOException {
		boolean sameType = switch(view.dtype()) {
			case "F32" -> compute == DataType.FLOAT32;
			case "F16" -> compute == DataType.FLOAT16;
			default -> false;
		};
		if(sameType && view.bytes().isDirect()) {
			keepAlive.add(view);
			return manager.create(view.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN), new Shape(view.shape()),
					compute);
		}
		ByteBuffer bytes = view.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
		return new WeightUpload(compute == DataType.FLOAT16).upload(view.name(), view.dtype(), view.shape(),
				(offset, length, staging) -> bytes.slice(Math.toIntExact(offset), length).order(ByteOrder.LITTLE_ENDIAN),
				manager, compute);
	}
}
