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
 * The chat-model trainer on DJL. Recipes: "default" (the shipped model), "tiny" (seconds-sized, for tests), and recipe
 * files ({@code *.json}, see {@link RecipeFiles}).
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

	@Override
	public boolean accepts(String recipe) {
		return recipes().contains(recipe) || RecipeFiles.isFile(recipe);
	}

	/** A built-in recipe by name, or a recipe file. */
	public static TrainingRecipe recipe(String name) throws IOException {
		Map<String, TrainingRecipe> builtIn = Map.of("default", TrainingRecipe.defaultRecipe(), "tiny", TrainingRecipe.tinyRecipe());
		if(RecipeFiles.isFile(name)) {
			return RecipeFiles.read(Path.of(name), builtIn);
		}
		TrainingRecipe recipe = builtIn.get(name);
		if(recipe == null) {
			throw new IllegalArgumentException("unknown recipe '" + name + "' (known: default, tiny, or a recipe file *.json)");
		}
		return recipe;
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
