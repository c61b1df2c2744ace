package org.refusalscope.api.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.refusalscope.api.ProgressMonitor;

/**
 * Trains a chat model from a named recipe and writes it as a Hugging Face folder (config.json, model.safetensors,
 * tokenizer.json, tokenizer_config.json with a chat template, generation_config.json) that the model backends load.
 * A DS service; the CLI's {@code train-model} uses the first one that offers the requested recipe.
 */
public interface ModelTrainer {

	/** Recipe names this trainer knows, e.g. "default" (the shipped model). */
	List<String> recipes();

	/** Whether this trainer can run that recipe: one of {@link #recipes()}, or a form it reads, such as a recipe file. */
	default boolean accepts(String recipe) {
		return recipes().contains(recipe);
	}

	/**
	 * @param recipe  a name from {@link #recipes()}, or anything else {@link #accepts(String)} accepts
	 * @param out     the folder to write (created); training state goes to out/training/
	 * @param dataDir the refusal_direction data folder (splits/, processed/) the recipe reads its train splits from
	 * @param seed    seeds the corpus, the initialisation and the batch order
	 * @param resume  continue from out/training/checkpoint.safetensors when present
	 */
	Outcome train(String recipe, Path out, Path dataDir, long seed, boolean resume, ProgressMonitor monitor) throws IOException;

	/**
	 * Measures a trained folder (refusal rates on the test splits, difference-in-means direction ablation) and returns
	 * the report as one JSON object (text). Trainers that cannot measure say so.
	 *
	 * @param limit at most this many prompts of each test split
	 */
	default String measure(Path folder, Path dataDir, int limit, int maxNewTokens) throws IOException {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " does not measure models");
	}

	/** What a run produced; metrics are the trainer's own validation figures (names documented by the trainer). */
	record Outcome(Path folder, long steps, long bestStep, long parameters, Map<String, Double> metrics) {
	}
}
