package org.refusalscope.model.djl.training;

import java.util.List;

/**
 * Which examples each step of a run trains on: the helpful-only steps cycle through batches of the harmless
 * conversations, then every step takes the next batch of a seeded shuffle of the whole corpus, epoch after epoch.
 * A function of the step alone, so that a resumed run sees the batches the uninterrupted one would have.
 */
final class BatchSchedule {

	private final TrainingRecipe recipe;
	private final List<TokenizedExample> examples;
	private final long seed;
	private final List<List<TokenizedExample>> helpfulBatches;
	private final int perEpoch;
	private int cachedEpoch = -1;
	private List<List<TokenizedExample>> epochBatches = List.of();

	BatchSchedule(TrainingRecipe recipe, List<TokenizedExample> examples, long seed) {
		this.recipe = recipe;
		this.examples = examples;
		this.seed = seed;
		List<TokenizedExample> harmlessOnly = examples.stream().filter(example -> !example.harmful()).toList();
		this.helpfulBatches = TrainingData.epoch(harmlessOnly, recipe.batchSize(), seed, -1);
		this.perEpoch = examples.size() / recipe.batchSize();
		if(helpfulBatches.isEmpty() || perEpoch == 0) {
			throw new IllegalArgumentException("the corpus has " + harmlessOnly.size() + " harmless of " + examples.size()
					+ " conversations within the recipe's length: too few for batches of " + recipe.batchSize());
		}
	}

	List<TokenizedExample> at(long step) {
		if(step < recipe.complianceFirstSteps()) {
			return helpfulBatches.get((int)(step % helpfulBatches.size()));
		}
		long mixedStep = step - recipe.complianceFirstSteps();
		int epoch = (int)(mixedStep / perEpoch);
		if(epoch != cachedEpoch) {
			epochBatches = TrainingData.epoch(examples, recipe.batchSize(), seed, epoch);
			cachedEpoch = epoch;
		}
		return epochBatches.get((int)(mixedStep % perEpoch) % epochBatches.size());
	}
}
