package org.refusalscope.headless.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.refusalscope.headless.CliContext;
import org.refusalscope.headless.bench.BenchPlan;
import org.refusalscope.headless.bench.BenchWorker;
import org.refusalscope.headless.bench.MemoryProbe;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One task of {@code bench}, run in its own JVM by the bench command so that its peak memory is its own. Prints
 * one JSON line on stdout: the task's result, or {@code {"error": ...}}.
 */
@Command(name = "bench-worker", hidden = true, mixinStandardHelpOptions = true,
		description = "Internal: one task of 'bench' (gemm, sae, generate, model), run in a child JVM.")
public class BenchWorkerCommand implements Callable<Integer> {

	private final CliContext context;

	@Option(names = "--task", required = true, description = "gemm, sae, sae-train, generate, model or memory")
	String task;

	@Option(names = "--suite", defaultValue = "quick")
	String suite;

	@Option(names = "--shape", description = "shape name (generate, model)")
	String shape;

	@Option(names = "--model-dir", description = "model folder (model)")
	Path modelDir;

	@Option(names = "--cache", description = "benchmark cache folder (generate)")
	Path cache;

	@Option(names = "--compute-dtype", defaultValue = "auto", description = "load option (memory)")
	String computeDtype;

	@Option(names = "--batch", defaultValue = "8", description = "batch of the forward (memory)")
	int batch;

	@Option(names = "--seq", defaultValue = "128", description = "tokens per sequence (memory)")
	int seq;

	@Option(names = "--tokenizers", description = "folder with gemma3/ and llama3/ tokenizers to reuse (generate)")
	Path tokenizers;

	public BenchWorkerCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() {
		JsonObject result;
		try {
			BenchPlan plan = BenchPlan.of(suite);
			result = switch(task) {
				case "gemm" -> BenchWorker.gemm(plan);
				case "sae" -> BenchWorker.sae(plan);
				case "sae-train" -> BenchWorker.saeTraining(plan, required(cache, "--cache"));
				case "generate" -> BenchWorker.generate(required(shape, "--shape"), required(cache, "--cache"), tokenizers,
						context.err()::println);
				case "model" -> BenchWorker.model(plan, required(shape, "--shape"), required(modelDir, "--model-dir"),
						context.registry(), line -> {
							// streamed at once, so a worker killed later still leaves its finished rows
							context.out().println(line.toString());
							context.out().flush();
						}, context.err()::println);
				case "memory" -> MemoryProbe.run(required(shape, "--shape"), required(modelDir, "--model-dir"), computeDtype,
						batch, seq, context.registry(), context.err()::println);
				default -> throw new IllegalArgumentException("unknown task '" + task + "'");
			};
		} catch(Exception | OutOfMemoryError e) {
			result = new JsonObject();
			String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
			result.addProperty("error", message.replace('\n', ' '));
			if(Boolean.getBoolean("refusalscope.debug")) {
				e.printStackTrace(context.err());
			}
		}
		context.out().println(result.toString());
		return 0;
	}

	private static <T> T required(T value, String option) {
		if(value == null) {
			throw new IllegalArgumentException("task needs " + option);
		}
		return value;
	}
}
