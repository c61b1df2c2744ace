package org.refusalscope.model.djl.bench;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.bench.EngineBenchmarks;
import org.refusalscope.model.djl.Djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The engine-side micro-benchmarks of {@code bench}: they run through the same embedded DJL PyTorch engine (and
 * thread pool) as the transformer backend, so the matmul figure is the roofline the forward pass is compared to.
 */
@Component(service = EngineBenchmarks.class)
public class DjlEngineBenchmarks implements EngineBenchmarks {

	@Override
	public String engineDescription() {
		return Djl.withBundleClassLoader(() -> {
			Engine engine = Djl.engine();
			return "DJL " + Engine.getDjlVersion() + " / " + engine.getEngineName() + " " + engine.getVersion()
					+ ", cpu, " + Runtime.getRuntime().availableProcessors() + " cores";
		});
	}

	@Override
	public double[] matmulSeconds(int m, int n, int k, String dtype, int repeats) {
		DataType type = dataType(dtype);
		return Djl.withBundleClassLoader(() -> {
			try(NDManager manager = Djl.newManager()) {
				NDArray a = manager.randomNormal(new Shape(m, k)).toType(type, false);
				NDArray b = manager.randomNormal(new Shape(k, n)).toType(type, false);
				return time(repeats, () -> {
					// PyTorch runs eagerly: the product exists when matmul returns; closing frees it at once
					a.matMul(b).close();
				});
			}
		});
	}

	@Override
	public double[] saeEncodeDecodeSeconds(int dIn, int dSae, int batch, int repeats) {
		return Djl.withBundleClassLoader(() -> {
			try(NDManager manager = Djl.newManager()) {
				float scale = (float) (1.0 / Math.sqrt(dIn));
				NDArray wEnc = manager.randomNormal(0f, scale, new Shape(dIn, dSae), DataType.FLOAT32);
				NDArray wDec = wEnc.transpose().duplicate();
				NDArray bEnc = manager.randomNormal(0f, 0.01f, new Shape(dSae), DataType.FLOAT32);
				NDArray bDec = manager.randomNormal(0f, 0.01f, new Shape(dIn), DataType.FLOAT32);
				NDArray x = manager.randomNormal(new Shape(batch, dIn));
				return time(repeats, () -> {
					try(NDManager step = manager.newSubManager()) {
						NDArray input = x.sub(bDec);
						input.attach(step);
						NDArray latents = input.matMul(wEnc).addi(bEnc).maximum(0f);
						latents.attach(step);
						NDArray reconstruction = latents.matMul(wDec).addi(bDec);
						reconstruction.attach(step);
					}
				});
			}
		});
	}

	private static double[] time(int repeats, Runnable body) {
		if(repeats < 1) {
			throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
		}
		body.run(); // warm-up: allocator, oneDNN kernel selection
		double[] seconds = new double[repeats];
		for(int i = 0; i < repeats; i++) {
			long start = System.nanoTime();
			body.run();
			seconds[i] = (System.nanoTime() - start) / 1e9;
		}
		return seconds;
	}

	private static DataType dataType(String dtype) {
		return switch(dtype) {
			case "float32" -> DataType.FLOAT32;
			// DJL's PyTorch binding has no bfloat16 (toType aborts the JVM): float16 is its half type
			case "float16" -> DataType.FLOAT16;
			default -> throw new IllegalArgumentException("matmul dtype must be float32 or float16, got " + dtype);
		};
	}
}
