package org.refusalscope.model.djl;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Intra-op thread count per pass. A forward on a small model is hundreds of tiny engine ops, each an OpenMP parallel
 * region whose barrier waits for every thread: when another process holds a core, the descheduled thread turns each
 * barrier into a scheduler time slice, and a 2-layer forward that needs 2 ms alone took 0.4-1 s (measured, see
 * BENCHMARKS.md). Passes whose arithmetic is small therefore run on one thread; large passes, where the split pays,
 * on the configured count. libtorch's count is process-wide, so it is set only when it changes.
 */
final class EngineThreads {

	/**
	 * Below this many floating point operations per pass (about 50 ms of one core at 20 GFLOP/s) one thread is
	 * used: the parallel part would save at most a few ms, while a contended barrier costs more.
	 */
	static final double SINGLE_THREAD_FLOPS = 1e9;

	/**
	 * Models narrower than this run on one thread whatever the batch: their matrices are too small to split well.
	 * Measured on the 2-core machine with the default model (d_model 192, batch 8 x 128 tokens, 5 GFLOP per pass):
	 * 4,425 tokens/s on one thread against 2,628 on two (BENCHMARKS.md).
	 */
	static final int SINGLE_THREAD_MAX_HIDDEN = 1024;

	/** Restores the configured count; closing throws nothing. */
	interface Restore extends AutoCloseable {
		@Override
		void close();
	}

	private static int configured = 0;
	private static int current = 0;

	private EngineThreads() {
	}

	/** The count large passes use: the load option if given, else libtorch's default (all cores). */
	static synchronized void configure(int threads) {
		if(configured == 0) {
			current = JniUtils.getNumThreads();
			configured = current;
		}
		if(threads > 0) {
			configured = threads;
		}
	}

	/**
	 * Sets the count for a pass of about {@code flops} operations on a model of that width; closing the result restores the configured count,
	 * so engine work outside passes (SAE training, other models) keeps all its threads.
	 */
	static Restore forPass(double flops, int hiddenSize) {
		int wanted;
		synchronized(EngineThreads.class) {
			if(configured == 0) {
				configure(0);
			}
			wanted = flops < SINGLE_THREAD_FLOPS || hiddenSize < SINGLE_THREAD_MAX_HIDDEN ? 1 : configured;
			set(wanted);
		}
		return () -> {
			synchronized(EngineThreads.class) {
				set(configured);
			}
		};
	}

	private static void set(int threads) {
		if(threads != current) {
			JniUtils.setNumThreads(threads);
			current = threads;
		}
	}
}
