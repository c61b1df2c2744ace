package org.refusalscope.headless.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.refusalscope.core.io.AtomicFiles;
import org.refusalscope.core.models.ModelLocations;
import org.refusalscope.headless.CliContext;
import org.refusalscope.headless.UsageException;
import org.refusalscope.headless.bench.BenchPlan;
import org.refusalscope.headless.bench.BenchRunner;
import org.refusalscope.headless.bench.DissectTiming;
import org.refusalscope.headless.bench.WorkerLauncher;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
		description = {"Measures speed and memory on this machine: matmul roofline, forward and generation tokens/s of "
				+ "random Gemma-2-2B / Llama-3.1-8B shaped checkpoints and the default model, ablation evaluations/s, "
				+ "SAE throughput, a PyTorch eager baseline and the default dissect wall time.",
				"Each shape runs in its own child JVM, so peak_rss_mb is that shape's own. Checkpoints are generated "
						+ "once into the cache folder (5 GB for gemma2-2b, 16 GB for llama3-8b)."})
public class BenchCommand implements Callable<Integer> {

	private final CliContext context;

	@Spec
	CommandSpec spec;

	@Option(names = "--suite", defaultValue = "quick",
			description = "quick (about 15 min, no 8B shape, batch <= 8) or full (everything). Default: ${DEFAULT-VALUE}.")
	String suite;

	@Option(names = "--json", description = "Print the report as one JSON object on stdout.")
	boolean json;

	@Option(names = "--out", description = "Also write the JSON report to this file.")
	Path out;

	@Option(names = "--cache", description = "Folder for the generated checkpoints (default: .cache/bench under the installation).")
	Path cache;

	@Option(names = "--default-model", description = "Folder of the default model (default: the shipped one).")
	Path defaultModel;

	@Option(names = "--in-process", hidden = true, description = "Run workers in this JVM (tests; peak memory is then the whole process's).")
	boolean inProcess;

	public BenchCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() throws IOException {
		if(!BenchPlan.SUITES.contains(suite)) {
			throw new UsageException("--suite must be quick or full, got '" + suite + "'");
		}
		if(out != null && Files.isDirectory(out)) {
			throw new UsageException("--out " + out + " is a folder; give a file name");
		}
		// the launcher sets refusalscope.home; test runtimes set refusalscope.repo
		Path home = Path.of(System.getProperty("refusalscope.home", System.getProperty("refusalscope.repo", ".")))
				.toAbsolutePath().normalize();
		Path cacheFolder = (cache != null ? cache : home.resolve(".cache").resolve("bench")).toAbsolutePath();
		Files.createDirectories(cacheFolder);
		Path shared = home.resolveSibling("shared").resolve("data").resolve("tokenizers");
		WorkerLauncher launcher = inProcess ? WorkerLauncher.inProcess(context::registry, context.err())
				: WorkerLauncher.childJvm(context.err());
		boolean hasDissect = spec.parent() != null && spec.parent().subcommands().containsKey("dissect");
		BenchRunner.Settings settings = new BenchRunner.Settings(BenchPlan.of(suite), cacheFolder, home,
				Files.isDirectory(shared) ? shared : null, defaultModel != null ? defaultModel : shippedDefaultModel(),
				launcher, hasDissect && !inProcess ? DissectTiming.childJvm() : null);
		// nulls stay in the report: a null figure comes with its reason (baseline_ratio / baseline_error)
		Gson gson = new GsonBuilder().serializeNulls().setPrettyPrinting().disableHtmlEscaping().create();
		JsonObject report = new BenchRunner(settings, context.err()::println).onPartial(partial -> {
			if(out != null) {
				try {
					AtomicFiles.writeString(out, gson.toJson(partial) + "\n");
				} catch(IOException e) {
					context.err().println("bench: cannot write " + out + ": " + e.getMessage());
				}
			}
		}).run();
		String text = gson.toJson(report);
		if(out != null) {
			AtomicFiles.writeString(out, text + "\n");
		}
		if(json) {
			context.out().println(text);
		} else {
			summary(report);
		}
		return 0;
	}

	/** The shipped default model's folder, or null when this product has none (the report then says so). */
	private Path shippedDefaultModel() {
		try {
			return ModelLocations.resolve(ModelLocations.DEFAULT);
		} catch(IOException e) {
			context.err().println("bench: " + e.getMessage());
			return null;
		}
	}

	private void summary(JsonObject report) {
		var o = context.out();
		o.println("RefusalScope bench (" + report.get("suite").getAsString() + ") on " + report.getAsJsonObject("machine")
				.get("cpu").getAsString() + ", load average " + report.get("load_average_start").getAsString());
		o.println("matmul peak: " + number(report.get("gemm_gflops")) + " GFLOP/s");
		for(JsonElement element : report.getAsJsonArray("forward")) {
			JsonObject row = element.getAsJsonObject();
			o.printf(Locale.ROOT, "forward %-10s batch %3d seq %4d: %10s tokens/s (%s..%s) %8s GFLOP/s  peak %s MiB%n",
					row.get("shape").getAsString(), row.get("batch").getAsInt(), row.get("seq").getAsInt(),
					number(row.get("tokens_per_s")), number(row.get("tokens_per_s_min")), number(row.get("tokens_per_s_max")),
					number(row.get("gflops")), number(row.get("peak_rss_mb")));
		}
		o.println("baseline ratio (ours / PyTorch eager): " + number(report.get("baseline_ratio"))
				+ (report.get("baseline_error").isJsonNull() ? "" : "  (" + report.get("baseline_error").getAsString() + ")"));
		o.println("ablation speed-up (batched + prefix caching vs one at a time): " + number(report.get("ablation_speedup")));
		o.println("errors: " + report.getAsJsonArray("errors").size());
	}

	private static String number(JsonElement value) {
		return value == null || value.isJsonNull() ? "n/a" : value.getAsString();
	}
}
