package org.refusalscope.core.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.TensorView;
import org.refusalscope.api.model.ActivationCapture;
import org.refusalscope.api.model.ForwardResult;
import org.refusalscope.api.sae.SaeArchitecture;
import org.refusalscope.api.sae.SaeWeights;
import org.refusalscope.api.sae.SparseAutoencoder;

/**
 * Activations of a few chosen latents from captured residual vectors, using only their encoder columns (read once
 * and cached), so stage 3 never encodes all of a wide SAE. TopK SAEs need every pre-activation and use the full
 * reference encoding.
 */
final class LatentProbe {

	private final Map<Integer, SparseAutoencoder> saes;
	private final Map<FeatureRef, float[]> columns = new HashMap<>();
	private final Map<Integer, float[]> inputBias = new HashMap<>();

	LatentProbe(Map<Integer, SparseAutoencoder> saes) {
		this.saes = saes;
	}

	List<ActivationCapture> captures(List<FeatureRef> probed) {
		List<ActivationCapture> out = new ArrayList<>();
		for(int layer : new TreeSet<>(probed.stream().map(FeatureRef::layer).toList())) {
			out.add(new ActivationCapture(layer, sae(layer).info().hook()));
		}
		return out;
	}

	double[] maxActivations(ForwardResult result, List<FeatureRef> probed) {
		double[] out = new double[probed.size()];
		// TopK: each position of a layer is encoded once, however many of its latents are probed
		Map<Integer, float[]> topKMax = new HashMap<>();
		for(int i = 0; i < probed.size(); i++) {
			FeatureRef f = probed.get(i);
			SparseAutoencoder sae = sae(f.layer());
			float[][] vectors = result.activations(new ActivationCapture(f.layer(), sae.info().hook()))[0];
			double max = 0;
			if(sae.info().architecture() == SaeArchitecture.TOPK) {
				max = topKMax.computeIfAbsent(f.layer(), l -> maxOverPositions(sae, vectors))[f.feature()];
			} else {
				for(float[] x : vectors) {
					max = Math.max(max, activation(sae, f, x));
				}
			}
			out[i] = max;
		}
		return out;
	}

	/** Latent-wise max (at least 0) of the reference encoding over the positions; one d_sae row, not one per position. */
	private static float[] maxOverPositions(SparseAutoencoder sae, float[][] vectors) {
		float[] max = new float[sae.info().dSae()];
		for(float[] x : vectors) {
			float[] code = sae.encode(x);
			for(int j = 0; j < max.length; j++) {
				max[j] = Math.max(max[j], code[j]);
			}
		}
		return max;
	}

	/** ReLU / JumpReLU: one latent from its encoder column alone. */
	private double activation(SparseAutoencoder sae, FeatureRef f, float[] x) {
		SaeWeights w = sae.weights();
		float[] column = columns.computeIfAbsent(f, key -> column(w.wEnc(), key.feature()));
		float[] bDec = w.applyBDecToInput() ? inputBias.computeIfAbsent(f.layer(), l -> w.bDec().toFloatArray()) : null;
		double pre = w.bEnc().getFloat(f.feature());
		for(int i = 0; i < x.length; i++) {
			pre += (w.inputScale() * x[i] - (bDec == null ? 0f : bDec[i])) * column[i];
		}
		if(sae.info().architecture() == SaeArchitecture.JUMPRELU) {
			return pre > w.threshold().getFloat(f.feature()) && pre > 0 ? pre : 0;
		}
		return Math.max(pre, 0);
	}

	private SparseAutoencoder sae(int layer) {
		SparseAutoencoder sae = saes.get(layer);
		if(sae == null) {
			throw new IllegalArgumentException("no SAE loaded for layer " + layer);
		}
		return sae;
	}

	/** Column {@code j} of a {@code [d_in, d_sae]} encoder, read with one buffer view. */
	private static float[] column(TensorView enc, int j) {
		int dIn = (int) enc.shape()[0];
		long dSae = enc.shape()[1];
		ByteBuffer data = enc.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
		float[] out = new float[dIn];
		for(int i = 0; i < dIn; i++) {
			long index = i * dSae + j;
			out[i] = switch(enc.dtype()) {
				case "F32" -> data.getFloat((int) (index * 4));
				case "BF16" -> Float.intBitsToFloat((data.getShort((int) (index * 2)) & 0xffff) << 16);
				case "F16" -> Float.float16ToFloat(data.getShort((int) (index * 2)));
				default -> throw new IllegalStateException("unsupported dtype " + enc.dtype() + " of " + enc.name());
			};
		}
		return out;
	}
}
