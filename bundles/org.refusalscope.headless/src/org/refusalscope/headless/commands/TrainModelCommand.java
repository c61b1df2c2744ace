package org.refusalscope.headless.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.Callable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.refusalscope.api.training.ModelTrainer;
import org.refusalscope.core.json.Json;
import org.refusalscope.headless.CliContext;
import org.refusalscope.headless.UsageException;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train-model --recipe default --out DIR [--seed S] [--resume] [--data DIR] [--json]}. */
@Command(name = "train-model", mixinStandardHelpOptions = true,
		description = "Train a small chat model that refuses harmful requests and write it as a Hugging Face folder.")
public class TrainModelCommand implements Callable<Integer> {

	private final CliContext context;

	@Option(names = "--recipe", defaultValue = "default", description = "Recipe: default (the shipped model), tiny, or a recipe file *.json whose fields override a named recipe (default).")
	String recipe;
	@Option(names = "--out", required = true, description = "Output folder (model files; training state in DIR/training).")
	Path out;
	@Option(names = "--seed", defaultValue = "1", description = "Seed for corpus, initialisation and batch order (1).")
	long seed;
	@Option(names = "--resume", description = "Continue from DIR/training/checkpoint.safetensors.")
	boolean resume;
	@Option(names = "--data", description = "refusal_direction data folder (default: ../shared/data/refusal_direction beside the repository).")
	Path data;
	@Option(names = "--measure-only", description = "Do not train: measure the model in --out (refusal on harmful_test/harmless_test, direction ablation), write DIR/measurements.json.")
	boolean measureOnly;
	@Option(names = "--limit", defaultValue = "572", description = "With --measure-only: prompts per test split (572 = all of harmful_test).")
	int limit;
	@Option(names = "--max-new-tokens", defaultValue = "48", description = "With --measure-only: greedy tokens per completion (48).")
	int maxNewTokens;
	@Option(names = "--json", description = "Print one JSON object describing the result.")
	boolean json;

	public TrainModelCommand(CliContext context) {
		this.context = context;
	}

	@Override
	public Integer call() throws Exception {
		Path dataDir = data != null ? data : defaultData();
		if(!Files.isRegularFile(dataDir.resolve("splits/harmful_train.json"))) {
			throw new UsageException(dataDir + ": not a refusal_direction data folder (no splits/harmful_train.json); pass --data DIR");
		}
		ModelTrainer trainer = trainerFor(recipe);
		if(measureOnly) {
			if(limit < 1 || maxNewTokens < 1) {
				throw new UsageException("--limit and --max-new-tokens must be positive");
			}
			String report = trainer.measure(out, dataDir, limit, maxNewTokens);
			org.refusalscope.core.io.AtomicFiles.writeString(out.resolve("measurements.json"), report);
			context.out().println(report);
			return 0;
		}
		StderrProgress progress = new StderrProgress(context.err());
		Thread hook = new Thread(progress::cancel);
		Runtime.getRuntime().addShutdownHook(hook);
		ModelTrainer.Outcome outcome;
		try {
			outcome = trainer.train(recipe, out, dataDir, seed, resume, progress);
		} finally {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			} catch(IllegalStateException shuttingDown) {
				// the JVM is already exiting after Ctrl-C; the checkpoint has been written
			}
		}
		JsonObject root = new JsonObject();
		root.addProperty("recipe", recipe);
		root.addProperty("out", outcome.folder().toString());
		root.addProperty("seed", seed);
		root.addProperty("steps", outcome.steps());
		root.addProperty("best_step", outcome.bestStep());
		root.addProperty("parameters", outcome.parameters());
		JsonObject metrics = new JsonObject();
		outcome.metrics().forEach(metrics::addProperty);
		root.add("metrics", metrics);
		if(json) {
			context.out().println(Json.writeCompact(root));
		} else {
			context.out().printf("model written to %s (%d parameters, best step %d)%n", outcome.folder(), outcome.parameters(), outcome.bestStep());
		}
		return 0;
	}

	private static Path defaultData() {
		String home = System.getProperty("refusalscope.home");
		Path root = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
		return root.resolve("../shared/data/refusal_direction").normalize();
	}

	private static ModelTrainer trainerFor(String recipe) throws Exception {
		var bundle = FrameworkUtil.getBundle(TrainModelCommand.class);
		BundleContext bundleContext = bundle == null ? null : bundle.getBundleContext();
		if(bundleContext == null) {
			throw new IllegalStateException("train-model needs the OSGi runtime");
		}
		Collection<ServiceReference<ModelTrainer>> references = bundleContext.getServiceReferences(ModelTrainer.class, null);
		StringBuilder known = new StringBuilder();
		for(ServiceReference<ModelTrainer> reference : references) {
			ModelTrainer trainer = bundleContext.getService(reference);
			if(trainer != null && trainer.accepts(recipe)) {
				return trainer;
			}
			if(trainer != null) {
				known.append(known.isEmpty() ? "" : ", ").append(String.join(", ", trainer.recipes()));
			}
		}
		throw new UsageException("--recipe " + recipe + ": no registered trainer offers it (recipes: " + (known.isEmpty() ? "none" : known) + ")");
	}
}
