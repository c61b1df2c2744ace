package org.refusalscope.api.model;

/**
 * How a model is loaded.
 *
 * @param computeDtype {@code "auto"} (default: float32 below 3B parameters, {@code "float16-storage"} above),
 *                     {@code "float32"} (exact, 4 bytes per parameter), {@code "float16-storage"} (weights held in
 *                     float16, 2 bytes per parameter, each block computed in float32; for 8B models) or
 *                     {@code "float16"} (float16 weights and arithmetic; very slow on CPUs without native fp16). The
 *                     DJL backend has no bfloat16 tensors, so it reads {@code "bfloat16"} as {@code "float16-storage"}
 *                     and reports what it used in {@link ModelInfo#computeDtype()}.
 * @param threads      intra-op threads of the engine for large passes, 0 for the engine default
 */
public record LoadOptions(String computeDtype, int threads) {

	public static LoadOptions defaults() {
		return new LoadOptions("auto", 0);
	}
}
