package org.refusalscope.headless.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.refusalscope.api.bench.EngineBenchmarks;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.api.model.ModelBackend;
import org.refusalscope.core.registry.StrategyRegistry;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The tasks of a bench worker JVM (or, with {@code --in-process}, of the command's own JVM). Each returns one JSON
 * object that the parent merges into the report.
 */
public final class BenchWorker {

	private BenchWorker() {
	}

	public static JsonObject gemm(BenchPlan plan) {
		EngineBenchmarks engine = Services.engineBenchmarks();
		JsonObject result = new JsonObject();
		result.addProperty("engine", engine.engineDescription());
		JsonArray rows = new JsonArray();
		for(String dtype : new String[]{"float32", "float16"}) {
			// half-precision matmul on CPUs without native fp16 arithmetic is several times slower: smaller sizes
			int[] sizes = dtype.equals("float32") ? plan.gemmSizes()
					: java.util.Arrays.stream(plan.gemmSizes()).map(size -> Math.min(size, 1024)).distinct().toArray();
			for(int size : sizes) {
				double[] seconds = engine.matmulSeconds(size, size, size, dtype, plan.gemmRepeats());
				JsonObject row = new JsonObject();
				row.addProperty("dtype", dtype);
				row.addProperty("m", size);
				row.addProperty("n", size);
				row.addProperty("k", size);
				Stats.rates(2.0 * size * size * size / 1e9, seconds).put(row, "gflops");
				row.addProperty("repeats", seconds.length);
				rows.add(row);
			}
		}
		result.add("gemm", rows);
		return result;
	}

	public static JsonObject sae(BenchPlan plan) {
		EngineBenchmarks engine = Services.engineBenchmarks();
		JsonArray rows = new JsonArray();
		for(int width : plan.saeWidths()) {
			ProcessMemory.resetPeak();
			double[] seconds = engine.saeEncodeDecodeSeconds(plan.saeDModel(), width, plan.saeBatch(), plan.gemmRepeats());
			JsonObject row = new JsonObject();
			row.addProperty("d_model", plan.saeDModel());
			row.addProperty("width", width);
			row.addProperty("batch", plan.saeBatch());
			Stats.rates(plan.saeBatch(), seconds).put(row, "activations_per_s");
			row.addProperty("gflops", Stats.round(Stats.rates(4.0 * plan.saeBatch() * plan.saeDModel() * width / 1e9, seconds).median()));
			row.addProperty("peak_rss_mb", ProcessMemory.peakMb());
			rows.add(row);
		}
		JsonObject result = new JsonObject();
		result.add("sae", rows);
		return result;
	}

	/** SAE training throughput at d_model of the plan, width of its first SAE row. */
	public static JsonObject saeTraining(BenchPlan plan, Path cache) throws IOException {
		int rows = plan.saeBatch() * 4;
		return SaeTrainingBench.run(plan.saeDModel(), plan.saeWidths()[0], plan.saeBatch(), rows,
				cache.resolve("scratch"));
	}

	public static JsonObject generate(String shapeName, Path cache, Path sharedTokenizers, Consumer<String> log)
			throws IOException {
		BenchShape shape = BenchShape.byName(shapeName);
		long start = System.nanoTime();
		Path folder = RandomCheckpoint.ensure(shape, cache, sharedTokenizers, log);
		JsonObject result = new JsonObject();
		result.addProperty("shape", shapeName);
		result.addProperty("folder", folder.toString());
		result.addProperty("seconds", Stats.round((System.nanoTime() - start) / 1e9));
		return result;
	}

	/** Load, forward rows, generation rows and (where planned) the ablation workload of one model folder. */
	public static JsonObject model(BenchPlan plan, String shapeName, Path folder, StrategyRegistry registry,
			Consumer<JsonObject> emit, Consumer<String> log) throws IOException {
		BenchShape shape = BenchShape.fromConfig(shapeName,
				JsonParser.parseString(Files.readString(folder.resolve("config.json"))).getAsJsonObject());
		ModelBackend backend = Services.backend(registry);
		JsonObject result = new JsonObject();
		result.addProperty("shape", shapeName);
		result.addProperty("parameters", shape.parameterCount());
		ProcessMemory.resetPeak();
		long start = System.nanoTime();
		try(LanguageModel model = backend.load(folder, LoadOptions.defaults())) {
			JsonObject load = new JsonObject();
			load.addProperty("shape", shapeName);
			load.addProperty("seconds", Stats.round((System.nanoTime() - start) / 1e9));
			load.addProperty("peak_rss_mb", ProcessMemory.peakMb());
			load.addProperty("weights_dtype", model.info().weightsDtype());
			load.addProperty("compute_dtype", model.info().computeDtype());
			result.add("load", load);
			result.addProperty("compute_dtype", model.info().computeDtype());
			log.accept("  loaded " + shape + " in " + load.get("seconds") + " s, compute " + model.info().computeDtype());
			result.add("forward", ForwardBench.forwardRows(model, shape, plan.batchesFor(shapeName), plan.seqs(),
					plan.repeats(), plan.rowBudgetS(),
					shapeName.equals(plan.baselineShape()) ? new int[]{plan.baselineBatch(), plan.baselineSeq()} : null, row -> {
						JsonObject line = new JsonObject();
						line.addProperty("partial", "forward");
						line.add("row", row.deepCopy());
						emit.accept(line);
					}, log));
			result.add("generation", ForwardBench.generationRows(model, shape, plan.genBatches(),
					plan.genPromptLength(), plan.newTokens(), Math.min(plan.repeats(), 3), log));
			if(plan.ablationFor(shapeName)) {
				try {
					result.add("ablation", AblationBench.run(model, shape, plan.ablationPrompts(),
							plan.ablationPromptLength(), plan.ablationSingle(), plan.repeats(), log));
				} catch(RuntimeException e) {
					result.addProperty("ablation_error", String.valueOf(e.getMessage()));
				}
			}
		}
		return result;
	}
}
