package org.refusalscope.headless.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.core.json.Json;
import org.refusalscope.core.pipeline.DissectionRunner;
import org.refusalscope.core.pipeline.RunSettings;
import org.refusalscope.core.registry.StrategyRegistry;
import org.refusalscope.core.runs.DissectionResults;
import org.refusalscope.core.runs.RunFolder;
import org.refusalscope.headless.CliContext;
import org.refusalscope.headless.UsageException;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dissect", mixinStandardHelpOptions = true,
		description = "Finds, for each refused prompt, a 1-minimal set of SAE features whose ablation flips it to "
				+ "compliance, then their interactions and hydra features. Without options: the default model and SAEs "
				+ "on a small built-in prompt set.")
public class DissectCommand implements Callable<Integer> {

	private final CliContext context;

	@Option(names = "--model", description = "Model folder or 'default' (default: from --config, else default).")
	String model;
	@Option(names = "--sae", description = "SAE location, 'default' (all layers) or 'default:L'.")
	String sae;
	@Option(names = "--prompts", description = "Refused harmful prompts to dissect one by one (.json, .csv or text).")
	Path prompts;
	@Option(names = "--harmful", description = "Harmful prompts for the refusal direction (default: built-in set).")
	Path harmful;
	@Option(names = "--harmless", description = "Harmless prompts for the refusal direction (default: built-in set).")
	Path harmless;
	@Option(names = "--config", description = "Run settings (JSON, the object saved as config.json 'settings'); flags override it.")
	Path config;
	@Option(names = "--out", description = "Run folder (default: runs/dissect-<time>).")
	Path out;
	@Option(names = "--resume", description = "Continue the run in --out after its finished prompts.")
	boolean resume;
	@Option(names = "--json", description = "Print the summary object plus run_dir as one JSON object.")
	boolean json;
	@Option(names = "--redact-completions", description = "Store verdicts and scores only, no completions.")
	boolean redact;

	public DissectCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() throws Exception {
		if(resume && out == null) {
			throw new UsageException("--resume needs --out with the run folder to continue");
		}
		RunSettings settings = config == null ? RunSettings.defaults() : readConfig(config);
		settings = override(settings);
		StrategyRegistry registry = context.registry();
		List<Prompt> toDissect = prompts == null ? ModelSession.builtIn("dissect")
				: ModelSession.readPrompts(registry, prompts, "--prompts");
		List<Prompt> harmfulSet = harmful == null ? ModelSession.builtIn("harmful")
				: ModelSession.readPrompts(registry, harmful, "--harmful");
		List<Prompt> harmlessSet = harmless == null ? ModelSession.builtIn("harmless")
				: ModelSession.readPrompts(registry, harmless, "--harmless");
		Path dir = out != null ? out
				: Path.of("runs", "dissect-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		StderrProgress progress = new StderrProgress(context.err());
		DissectionResults results;
		try(LanguageModel languageModel = ModelSession.loadModel(registry, settings.model())) {
			Map<Integer, SparseAutoencoder> saes = ModelSession.loadSaes(registry, settings.sae(),
					languageModel.info().hiddenSize());
			DissectionRunner runner = new DissectionRunner((role, id) -> registry.find(role, id).orElse(null));
			DissectionRunner.Inputs inputs = new DissectionRunner.Inputs(languageModel, saes,
					saes.values().stream().map(s -> s.info().id()).toList(), harmfulSet, harmlessSet, toDissect);
			results = runCancellable(runner, inputs, settings, new RunFolder(dir), progress);
		}
		print(results, dir);
		return 0;
	}

	/** Ctrl-C sets the cancel flag and waits (up to a minute) until the finished prompts are saved. */
	private DissectionResults runCancellable(DissectionRunner runner, DissectionRunner.Inputs inputs,
			RunSettings settings, RunFolder folder, StderrProgress progress) throws Exception {
		CountDownLatch finished = new CountDownLatch(1);
		Thread hook = new Thread(() -> {
			progress.cancel();
			try {
				finished.await(60, TimeUnit.SECONDS);
			} catch(InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "refusalscope-cancel");
		Runtime.getRuntime().addShutdownHook(hook);
		try {
			return runner.run(inputs, settings, folder, resume, progress);
		} catch(ProgressMonitor.CancelledException e) {
			context.err().println("[refusalscope] cancelled; finished prompts are saved in " + folder.dir()
					+ " (continue with --resume --out " + folder.dir() + ")");
			throw e;
		} finally {
			finished.countDown();
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			} catch(IllegalStateException e) {
				// the JVM is already shutting down
			}
		}
	}

	private RunSettings override(RunSettings s) {
		return new RunSettings(model != null ? model : s.model(), sae != null ? sae : s.sae(), s.direction(),
				s.collector(), s.pruning(), s.interaction(), s.judge(), s.proxyThreshold(), s.ablateMode(),
				s.maxNewTokens(), s.seed(), s.maxBatch(), s.stage3(), redact ? Boolean.TRUE : s.redactCompletions(),
				s.rerank(), s.rerankTop()).withDefaults();
	}

	private static RunSettings readConfig(Path file) throws java.io.IOException {
		if(!Files.isRegularFile(file)) {
			throw new UsageException(file + ": no such file (--config)");
		}
		// a saved config.json holds the settings under "settings"; a hand-written one is the settings object itself
		JsonObject root = Json.read(file, JsonObject.class);
		JsonObject settings = root.has("settings") && root.get("settings").isJsonObject()
				? root.getAsJsonObject("settings") : root;
		try {
			return Json.convert(settings, RunSettings.class);
		} catch(RuntimeException e) {
			throw new java.io.IOException(file + ": not valid run settings: " + e.getMessage());
		}
	}

	private void print(DissectionResults results, Path dir) {
		DissectionResults.Summary s = results.summary();
		if(json) {
			JsonObject summary = Json.tree(s).getAsJsonObject();
			summary.addProperty("run_dir", dir.toAbsolutePath().toString());
			context.out().println(Json.writeCompact(summary));
			return;
		}
		context.out().printf("Dissected %d prompts: %d refused at baseline, %d flipped (flip rate %s), median minimal "
				+ "set size %s.%n", s.nPrompts(), s.refusedAtBaseline(), s.flipped(),
				s.refusedAtBaseline() == 0 ? "n/a" : String.format("%.0f%%", 100.0 * s.flipped() / s.refusedAtBaseline()),
				s.medianMinimalSetSize());
		for(DissectionResults.PromptResult r : results.prompts()) {
			String set = r.minimalSet().stream().map(f -> f.layer() + ":" + f.feature()).toList().toString();
			context.out().printf("  %-50.50s baseline %s, set %s, %d evaluations%s%n", r.prompt(),
					r.baseline().refused() ? "refused" : "complied", r.minimalSet().isEmpty() ? "-" : set, r.evaluations(),
					r.interactions() == null ? "" : String.format(", FM R2 %.2f vs linear %.2f", r.interactions().fmTestR2(),
							r.interactions().linearTestR2()));
		}
		context.out().println("Run folder: " + dir.toAbsolutePath() + " (results.json, report.html)");
	}
}
