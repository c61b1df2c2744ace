package org.refusalscope.api.model;

/**
 * How a model is loaded.
 *
 * @param computeDtype {@code "auto"} (default: float32 below 3B parameters, half precision above), {@code "float32"}
 *                     (exact) or {@code "float16"} (half the memory; for 8B models). The DJL backend has no
 *                     bfloat16 tensors, so it reads {@code "bfloat16"} as float16 and reports what it used in
 *                     {@link ModelInfo#computeDtype()}.
 * @param threads      intra-op threads of the engine, 0 for the engine default
 */
public record LoadOptions(String computeDtype, int threads) {

	public static LoadOptions defaults() {
		return new LoadOptions("auto", 0);
	}
}
