package org.refusalscope.api.bench;

/**
 * Micro-benchmarks that must run inside the tensor engine of the model backend (the same engine and thread pool
 * the forward pass uses), so that the {@code bench} command can report the machine's matrix-multiply roofline and
 * SAE throughput without the command line touching engine types. Registered as an OSGi service by the backend
 * bundle. Every method warms up once and then returns the wall time of each timed repeat, in seconds; callers
 * compute medians and spreads. Nothing here is asserted in tests: these are measurements.
 */
public interface EngineBenchmarks {

	/** Engine and version, intra-op threads and device, e.g. {@code "DJL 0.36.0 / PyTorch 2.7.1, cpu, 2 threads"}. */
	String engineDescription();

	/**
	 * Times {@code C = A B} with {@code A [m, k]} and {@code B [k, n]} holding random values of {@code dtype}
	 * ({@code "float32"} or {@code "float16"}; the DJL binding has no bfloat16); one matmul costs {@code 2 m n k} floating point operations.
	 */
	double[] matmulSeconds(int m, int n, int k, String dtype, int repeats);

	/**
	 * Times one SAE encode and decode of a batch: {@code f = ReLU((x - b_dec) W_enc + b_enc)},
	 * {@code x_hat = f W_dec + b_dec} with {@code x [batch, dIn]}, random float32 weights of width {@code dSae}.
	 */
	double[] saeEncodeDecodeSeconds(int dIn, int dSae, int batch, int repeats);
}
