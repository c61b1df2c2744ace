package org.refusalscope.model.djl;

import org.refusalscope.api.TensorView;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * One SAE uploaded to the engine once (float32) and reused by every forward pass; encode/decode follow
 * {@link SaeWeights} exactly as {@link org.refusalscope.api.sae.SaeMath} does.
 */
final class SaeTensors {

	final SaeArchitecture architecture;
	final NDArray wEnc; // [d_in, d_sae]
	final NDArray wDec; // [d_sae, d_in]
	final NDArray bEnc;
	final NDArray bDec;
	final NDArray threshold;
	final int k;
	final boolean applyBDecToInput;
	final float inputScale;
	final int dIn;
	final int dSae;
	private final java.util.List<TensorView> keepAlive = new java.util.ArrayList<>();

	SaeTensors(SparseAutoencoder sae, NDManager manager, int hiddenSize) {
		SaeWeights w = sae.weights();
		architecture = sae.info().architecture();
		dIn = (int) w.wEnc().shape()[0];
		dSae = (int) w.wEnc().shape()[1];
		if(dIn != hiddenSize) {
			throw new IllegalArgumentException("SAE " + sae.info() + " has d_in=" + dIn + " but the model's hidden size is "
					+ hiddenSize);
		}
		wEnc = upload(w.wEnc(), manager);
		wDec = upload(w.wDec(), manager);
		bEnc = upload(w.bEnc(), manager);
		bDec = upload(w.bDec(), manager);
		threshold = w.threshold() == null ? null : upload(w.threshold(), manager);
		k = w.k();
		applyBDecToInput = w.applyBDecToInput();
		inputScale = w.inputScale();
		if(architecture == SaeArchitecture.JUMPRELU && threshold == null) {
			throw new IllegalArgumentException("JumpReLU SAE " + sae.info() + " has no threshold");
		}
	}

	/** float32 on the engine; F32 files are wrapped without a copy, others widened in chunks. */
	private NDArray upload(TensorView view, NDManager manager) {
		try {
			return TransformerWeights.toEngine(view, manager, DataType.FLOAT32, keepAlive);
		} catch(java.io.IOException e) {
			throw new IllegalArgumentException(e.getMessage(), e);
		}
	}

	/** Bytes held on the engine, for the model's SAE cache budget. */
	long bytes() {
		return 4L * (2L * dIn * dSae + dSae * (threshold == null ? 1 : 2) + dIn);
	}

	/** The encoder input {@code s*x - b_dec?}, float32. */
	NDArray encoderInput(NDArray x32) {
		NDArray input = inputScale == 1f ? x32 : x32.mul(inputScale);
		return applyBDecToInput ? input.sub(bDec) : input;
	}

	/** All latents {@code f = act(pre)}, {@code [.., d_sae]}. */
	NDArray encode(NDArray x32) {
		NDArray pre = encoderInput(x32).matMul(wEnc).add(bEnc);
		return activate(pre, threshold, true);
	}

	/** Latents restricted to the given columns; exact only for element-wise activations (not TopK). */
	NDArray encodeColumns(NDArray x32, NDArray encColumns, NDArray bEncColumns, NDArray thresholdColumns) {
		NDArray pre = encoderInput(x32).matMul(encColumns).add(bEncColumns);
		return activate(pre, thresholdColumns, false);
	}

	private NDArray activate(NDArray pre, NDArray thresholds, boolean full) {
		switch(architecture) {
			case RELU:
				return pre.maximum(0f);
			case JUMPRELU:
				NDArray keep = pre.gt(thresholds).logicalAnd(pre.gt(0f));
				return NDArrays.where(keep, pre, pre.zerosLike());
			case TOPK:
				if(!full) {
					throw new IllegalStateException("TopK latents need the full encoding");
				}
				int kept = Math.min(k, dSae);
				NDList top = pre.topK(kept, -1, true, false);
				NDArray values = top.get(0).maximum(0f);
				NDArray indices = top.get(1);
				return pre.zerosLike().scatter(indices, values, -1);
			default:
				throw new IllegalStateException("unknown SAE architecture " + architecture);
		}
	}

	/** {@code (f W_dec + b_dec) / s}. */
	NDArray decode(NDArray f) {
		NDArray out = f.matMul(wDec).add(bDec);
		return inputScale == 1f ? out : out.div(inputScale);
	}

	void close() {
		for(NDArray array : new NDArray[]{wEnc, wDec, bEnc, bDec, threshold}) {
			if(array != null) {
				array.close();
			}
		}
	}

	static DataType type() {
		return DataType.FLOAT32;
	}
}
