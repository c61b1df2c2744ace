package org.refusalscope.model.djl;

import java.io.IOException;

import ai.djl.ndarray.types.DataType;

/**
 * How weights are held and in which dtype the forward pass computes. Separate because on CPUs without native
 * half-precision arithmetic a float16 matmul is about 58x slower than float32 through libtorch (BENCHMARKS.md), while
 * float32 weights of an 8B model do not fit in 24 GiB: {@link #FLOAT16_STORAGE} keeps 2 bytes per parameter
 * resident and upcasts one block's weights to float32 just before the block runs.
 */
enum Precision {

	/** float32 weights, float32 compute: exact and fastest, 4 bytes per parameter. */
	FLOAT32("float32", DataType.FLOAT32, DataType.FLOAT32),
	/** float16 weights and float16 compute: 2 bytes per parameter, very slow on CPUs without fp16 arithmetic. */
	FLOAT16("float16", DataType.FLOAT16, DataType.FLOAT16),
	/** float16 weights resident, float32 compute with per-block just-in-time upcasts. */
	FLOAT16_STORAGE("float16-storage", DataType.FLOAT16, DataType.FLOAT32);

	/**
	 * Under {@code auto}, checkpoints with fewer parameters are held in float32 (Gemma-2-2B: 10.5 GB); larger ones
	 * (Llama-3.1-8B: 32 GB in float32) in float16 with float32 compute (16 GB resident).
	 */
	static final long AUTO_FLOAT32_LIMIT = 3_000_000_000L;

	final String id;
	final DataType storage;
	final DataType compute;

	Precision(String id, DataType storage, DataType compute) {
		this.id = id;
		this.storage = storage;
		this.compute = compute;
	}

	/** Whether block weights must be upcast before use. */
	boolean upcasts() {
		return storage != compute;
	}

	/**
	 * The load option, where {@code auto} gives way to the environment variable {@code REFUSALSCOPE_COMPUTE_DTYPE}
	 * (the commands load with {@code auto}; the variable lets a user on a smaller machine choose float16-storage).
	 */
	static String requested(String option) {
		String env = System.getenv("REFUSALSCOPE_COMPUTE_DTYPE");
		boolean auto = option == null || option.trim().equalsIgnoreCase("auto");
		return auto && env != null && !env.isBlank() ? env : option;
	}

	static Precision parse(String requested, long parameters) throws IOException {
		String value = requested == null ? "auto" : requested.trim().toLowerCase(java.util.Locale.ROOT);
		return switch(value) {
			case "auto" -> parameters < AUTO_FLOAT32_LIMIT ? FLOAT32 : FLOAT16_STORAGE;
			case "float32", "fp32", "f32" -> FLOAT32;
			// the engine binding cannot hold bfloat16 tensors (creating or casting aborts the JVM); float16 is the
			// half-precision type it has, so a bfloat16 request gets half-precision storage with float32 compute
			case "float16-storage", "fp16-storage", "bfloat16", "bf16" -> FLOAT16_STORAGE;
			case "float16", "fp16", "f16", "half" -> FLOAT16;
			default -> throw new IOException("compute dtype must be auto, float32, float16-storage or float16, got '"
					+ requested + "'");
		};
	}
}
