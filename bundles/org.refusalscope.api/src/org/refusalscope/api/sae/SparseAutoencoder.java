package org.refusalscope.api.sae;

/**
 * One SAE on one layer. Weights are loaded lazily (memory-mapped where the format allows) on first access.
 */
public interface SparseAutoencoder {

	SaeInfo info();

	/** The parameters; the first call maps or reads the file. */
	SaeWeights weights();

	/**
	 * Reference encoding of one activation vector in plain Java. Meant for single vectors, tests and metadata;
	 * batched encoding runs in the model backend.
	 */
	default float[] encode(float[] x) {
		return SaeMath.encode(weights(), info().architecture(), x);
	}

	/** Reference decoding of one latent vector. */
	default float[] decode(float[] f) {
		return SaeMath.decode(weights(), f);
	}

	/**
	 * An SAE whose weights are already in memory (built or trained in code: tests, benchmarks). Equality is identity,
	 * as for every SAE: backends key their uploaded copies by the object, and two SAEs with equal weights stay two.
	 */
	static SparseAutoencoder inMemory(SaeInfo info, SaeWeights weights) {
		return new SparseAutoencoder() {
			@Override
			public SaeInfo info() {
				return info;
			}

			@Override
			public SaeWeights weights() {
				return weights;
			}
		};
	}
}
