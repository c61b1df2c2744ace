package org.refusalscope.api.model;

/**
 * How a model is loaded.
 *
 * @param computeDtype {@code "float32"} (exact, default) or {@code "bfloat16"} (half the memory; for 8B models)
 * @param threads      intra-op threads of the engine, 0 for the engine default
 */
public record LoadOptions(String computeDtype, int threads) {

	public static LoadOptions defaults() {
		return new LoadOptions("auto", 0);
	}
}
