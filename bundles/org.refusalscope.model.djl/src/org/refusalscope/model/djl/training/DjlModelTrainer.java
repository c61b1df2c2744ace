package org.refusalscope.model.djl.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.training.ModelTrainer;
import org.refusalscope.model.djl.Djl;

/**
 * The chat-model trainer on DJL. Recipes: "default" (the shipped model) and "tiny" (seconds-sized, for tests).
 * Metrics: harmful_val_refusal and harmless_val_refusal (first-token refusal of the kept weights), final_loss.
 */
@Component(service = ModelTrainer.class)
public final class DjlModelTrainer implements ModelTrainer {

	private final PrintStream log;

	public DjlModelTrainer() {
		this(System.err);
	}

	public DjlModelTrainer(PrintStream log) {
		this.log = log;
	}

	@Override
	public List<String> recipes() {
		return List.of("default", "tiny");
	}

	public static TrainingRecipe recipe(String name) {
		return switch(name) {
			case "default" -> TrainingRecipe.defaultRecipe();
			case "tiny" -> TrainingRecipe.tinyRecipe();
			default -> throw new IllegalArgumentException("unknown recipe '" + name + "' (known: default, tiny)");
		};
	}

	@Override
	public String measure(Path folder, Path dataDir, int limit, int maxNewTokens) throws IOException {
		try {
			return Djl.withBundleClassLoader(() -> ModelMeasurement.measure(folder, dataDir, limit, maxNewTokens, log).toString());
		} catch(IllegalStateException e) {
			if(e.getCause() instanceof IOException io) {
				throw io;
			}
			throw e;
		}
	}

	@Override
	public Outcome train(String recipe, Path out, Path dataDir, long seed, boolean resume, ProgressMonitor monitor) throws IOException {
		TrainingRecipe chosen = recipe(recipe);
		try {
			return Djl.withBundleClassLoader(() -> {
				ChatModelTrainer.Outcome outcome = new ChatModelTrainer(chosen, dataDir, seed, log).train(out, resume, monitor);
				return new Outcome(outcome.folder(), outcome.steps(), outcome.bestStep(), outcome.parameters(),
						Map.of("harmful_val_refusal", outcome.harmfulValRefusal(), "harmless_val_refusal", outcome.harmlessValRefusal(),
								"final_loss", outcome.finalLoss()));
			});
		} catch(IllegalStateException e) {
			if(e.getCause() instanceof IOException io) {
				throw io;
			}
			throw e;
		}
	}
}
