package org.refusalscope.headless.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/**
 * Orchestrates a bench run: each task in its own worker (child JVM in the product), then the Python baseline and
 * the whole-{@code dissect} timing, and assembles the report. A failing section is recorded under {@code errors}
 * (and its headline figure is null with a reason) instead of ending the run.
 */
public final class BenchRunner {

	/**
	 * @param defaultModel folder of the shipped default model, or null when it is not installed
	 * @param dissect      runs the default {@code dissect} and returns its wall time in seconds, or null when the
	 *                     command is not available
	 */
	public record Settings(BenchPlan plan, Path cache, Path home, Path sharedTokenizers, Path defaultModel,
			WorkerLauncher launcher, DissectTimer dissect) {
	}

	/** Times a whole default {@code dissect}; throws with the reason when it cannot run. */
	public interface DissectTimer {
		JsonObject time() throws Exception;
	}

	private final Settings settings;
	private final Consumer<String> log;
	private Consumer<JsonObject> partial = report -> {
	};
	private final JsonArray errors = new JsonArray();

	public BenchRunner(Settings settings, Consumer<String> log) {
		this.settings = settings;
		this.log = log;
	}

	/** Receives the report so far after each section, so a long run that is stopped still leaves its figures. */
	public BenchRunner onPartial(Consumer<JsonObject> listener) {
		this.partial = listener;
		return this;
	}

	public JsonObject run() {
		BenchPlan plan = settings.plan();
		JsonObject report = new JsonObject();
		report.addProperty("suite", plan.suite());
		report.addProperty("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
		report.add("machine", MachineInfo.describe());
		report.addProperty("load_average_start", MachineInfo.loadAverage());
		report.addProperty("separate_processes", settings.launcher().separateProcesses());
		long start = System.nanoTime();

		log.accept("bench: matrix-multiply roofline");
		JsonObject gemm = section("gemm", () -> task("--task", "gemm"));
		report.add("engine", gemm == null ? JsonNull.INSTANCE : gemm.get("engine"));
		report.add("gemm", gemm == null ? new JsonArray() : gemm.get("gemm"));
		report.add("gemm_gflops", gemm == null ? JsonNull.INSTANCE : peak(gemm.getAsJsonArray("gemm")));

		JsonArray forward = new JsonArray();
		JsonArray load = new JsonArray();
		JsonArray generation = new JsonArray();
		JsonArray ablation = new JsonArray();
		report.add("forward", forward);
		report.add("load", load);
		report.add("generation", generation);
		report.add("errors", errors);
		partial.accept(report);
		boolean baselineDone = false;
		for(String shape : plan.shapes()) {
			log.accept("bench: shape " + shape);
			Path folder = section("checkpoint " + shape, () -> checkpoint(shape));
			if(folder == null) {
				continue;
			}
			JsonObject model = section("model " + shape,
					() -> task("--task", "model", "--shape", shape, "--model-dir", folder.toString()));
			if(model == null) {
				continue;
			}
			forward.addAll(model.getAsJsonArray("forward"));
			load.add(model.get("load"));
			generation.addAll(model.getAsJsonArray("generation"));
			if(model.has("ablation")) {
				ablation.add(model.get("ablation"));
			} else if(model.has("ablation_error")) {
				error("ablation " + shape, model.get("ablation_error").getAsString());
			}
			if(shape.equals(plan.baselineShape())) {
				model.addProperty("folder", folder.toString());
				// right after our row, so both run under the same machine load
				baseline(report, forward, model);
				baselineDone = true;
			}
			partial.accept(report);
		}
		if(!baselineDone) {
			baseline(report, forward, null);
		}

		report.add("ablation", ablation);
		report.add("ablation_speedup", ablationSpeedup(ablation, "default", "speedup_vs_one_at_a_time"));
		report.add("prefix_cache_speedup", ablationSpeedup(ablation, "gemma2-2b", "prefix_cache_speedup"));
		partial.accept(report);

		log.accept("bench: SAE encode/decode");
		JsonObject sae = section("sae", () -> task("--task", "sae"));
		report.add("sae", sae == null ? new JsonArray() : sae.get("sae"));
		log.accept("bench: SAE training");
		String[] trainingError = new String[1];
		JsonObject training = null;
		try {
			training = task("--task", "sae-train", "--cache", settings.cache().toString());
		} catch(RuntimeException e) {
			trainingError[0] = e.getMessage();
			error("sae_training", trainingError[0]);
		}
		report.add("sae_training", training == null ? JsonNull.INSTANCE : training);
		report.addProperty("sae_training_error", trainingError[0]);

		if(plan.dissect()) {
			log.accept("bench: whole default dissect");
			JsonObject dissect = section("dissect", () -> {
				if(settings.dissect() == null) {
					throw new IllegalStateException("the dissect command is not available in this build");
				}
				return settings.dissect().time();
			});
			report.add("dissect", dissect == null ? JsonNull.INSTANCE : dissect);
		}
		report.addProperty("load_average_end", MachineInfo.loadAverage());
		report.addProperty("wall_s", Stats.round((System.nanoTime() - start) / 1e9));
		report.remove("errors");
		report.add("errors", errors);
		return report;
	}

	private void baseline(JsonObject report, JsonArray forward, JsonObject model) {
		BenchPlan plan = settings.plan();
		JsonObject ours = row(forward, plan.baselineShape(), plan.baselineBatch(), plan.baselineSeq());
		JsonObject theirs = null;
		String reason = null;
		if(ours == null || model == null) {
			reason = "our forward row " + plan.baselineShape() + " batch " + plan.baselineBatch() + " seq "
					+ plan.baselineSeq() + " was not measured";
		} else {
			log.accept("bench: PyTorch eager baseline (" + Baseline.SCRIPT + ")");
			try {
				BenchShape shape = model.get("shape").getAsString().equals("tiny") ? BenchShape.TINY
						: BenchShape.byName(plan.baselineShape());
				theirs = Baseline.run(settings.home(), Path.of(model.get("folder").getAsString()), settings.cache(), shape,
						plan.baselineBatch(), plan.baselineSeq(), plan.repeats(), plan.rowBudgetS(),
						model.has("compute_dtype") ? model.get("compute_dtype").getAsString() : null);
			} catch(Exception e) {
				reason = e.getMessage();
				error("baseline", reason);
			} catch(OutOfMemoryError e) {
				reason = "out of memory: " + e.getMessage();
			}
		}
		report.add("baseline", theirs == null ? JsonNull.INSTANCE : theirs);
		if(theirs != null && ours.has("logits_head") && theirs.has("logits_head")) {
			// same checkpoint, same ids, same dtype: the two forwards must agree (random weights, so only roughly)
			JsonArray a = ours.getAsJsonArray("logits_head");
			JsonArray b = theirs.getAsJsonArray("logits_head");
			double diff = 0;
			for(int i = 0; i < Math.min(a.size(), b.size()); i++) {
				diff = Math.max(diff, Math.abs(a.get(i).getAsDouble() - b.get(i).getAsDouble()));
			}
			theirs.addProperty("logits_max_abs_diff_vs_ours", diff);
			theirs.remove("logits_head");
			ours.remove("logits_head");
		}
		if(ours != null) {
			ours.remove("logits_head");
		}
		if(theirs != null) {
			double ratio = ours.get("tokens_per_s").getAsDouble() / theirs.get("tokens_per_s").getAsDouble();
			report.addProperty("baseline_ratio", Stats.round(ratio));
			report.add("baseline_error", JsonNull.INSTANCE);
		} else {
			report.add("baseline_ratio", JsonNull.INSTANCE);
			report.addProperty("baseline_error", reason);
		}
	}

	private Path checkpoint(String shape) throws Exception {
		if(shape.equals("default")) {
			if(settings.defaultModel() == null || !Files.isRegularFile(settings.defaultModel().resolve("config.json"))) {
				throw new IllegalStateException("the default model is not installed in this build"
						+ (settings.defaultModel() == null ? "" : " (no config.json in " + settings.defaultModel() + ")"));
			}
			return settings.defaultModel();
		}
		Path folder = settings.cache().resolve(shape);
		if(!Files.isRegularFile(folder.resolve(RandomCheckpoint.COMPLETE))) {
			List<String> args = new ArrayList<>(List.of("--task", "generate", "--shape", shape, "--cache",
					settings.cache().toString()));
			if(settings.sharedTokenizers() != null) {
				args.addAll(List.of("--tokenizers", settings.sharedTokenizers().toString()));
			}
			task(args.toArray(String[]::new));
		}
		return folder;
	}

	private JsonObject task(String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.addAll(List.of("--suite", settings.plan().suite()));
		return settings.launcher().run(all);
	}

	private interface Section<T> {
		T run() throws Exception;
	}

	private <T> T section(String name, Section<T> body) {
		try {
			return body.run();
		} catch(Exception | OutOfMemoryError e) {
			error(name, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
			return null;
		}
	}

	private void error(String section, String message) {
		log.accept("bench: " + section + " failed: " + message);
		JsonObject item = new JsonObject();
		item.addProperty("section", section);
		item.addProperty("error", message);
		errors.add(item);
	}

	private static JsonElement peak(JsonArray gemm) {
		double best = 0;
		for(JsonElement row : gemm) {
			best = Math.max(best, row.getAsJsonObject().get("gflops").getAsDouble());
		}
		return best > 0 ? new com.google.gson.JsonPrimitive(best) : JsonNull.INSTANCE;
	}

	private static JsonObject row(JsonArray rows, String shape, int batch, int seq) {
		for(JsonElement element : rows) {
			JsonObject row = element.getAsJsonObject();
			if(row.get("shape").getAsString().equals(shape) && row.get("batch").getAsInt() == batch
					&& row.get("seq").getAsInt() == seq) {
				return row;
			}
		}
		return null;
	}

	/** A speed-up of the named shape's pruning stage (the smoke suite's tiny shape stands in for both). */
	private static JsonElement ablationSpeedup(JsonArray ablation, String shape, String field) {
		for(JsonElement element : ablation) {
			JsonObject result = element.getAsJsonObject();
			String name = result.get("shape").getAsString();
			if(name.equals(shape) || name.equals("tiny")) {
				return result.getAsJsonArray("stages").get(0).getAsJsonObject().get(field);
			}
		}
		return JsonNull.INSTANCE;
	}
}
