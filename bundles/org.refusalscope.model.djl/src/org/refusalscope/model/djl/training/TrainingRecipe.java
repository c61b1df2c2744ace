package org.refusalscope.model.djl.training;

/**
 * Every setting of a training run; the default recipe is the shipped model's.
 *
 * @param complianceFirstSteps the first steps train on harmless conversations only, so that answering is the model's
 *        default and refusal is learned on top of it, as in real chat models (pretrained and instruction-tuned before
 *        safety tuning); this is meant to make refusal a feature that is added, as the method expects
 */
public record TrainingRecipe(String name, int vocabSize, LlamaConfigShape shape, int batchSize, int steps, int warmupSteps,
		double learningRate, double minLearningRateFraction, int maxSequenceLength, int evalEvery, int patience,
		int harmlessValLimit, int generatedHarmful, int harmfulTrainRepeats, int generatedHarmless, int harmlessTrainLimit,
		int complianceFirstSteps) {

	/** The model shape without the vocabulary size, which the tokenizer fixes. */
	public record LlamaConfigShape(int hiddenSize, int layers, int heads, int kvHeads, int intermediateSize, int maxPositions,
			double ropeTheta, double rmsNormEps) {
	}

	public static TrainingRecipe defaultRecipe() {
		return new TrainingRecipe("default", 3072, new LlamaConfigShape(192, 4, 3, 3, 576, 256, 10000.0, 1e-5), 32, 1600, 100,
				8e-4, 0.1, 112, 100, 6, 200, 16000, 5, 8000, Integer.MAX_VALUE, 250);
	}

	/** A minute-sized recipe for tests: same code path, tiny model and corpus. */
	public static TrainingRecipe tinyRecipe() {
		return new TrainingRecipe("tiny", 300, new LlamaConfigShape(32, 2, 2, 2, 64, 128, 10000.0, 1e-5), 8, 30, 5, 3e-3, 0.1, 96,
				10, 100, 20, 200, 1, 100, 100, 5);
	}

	public double learningRate(int step) {
		if(step < warmupSteps) {
			return learningRate * (step + 1) / warmupSteps;
		}
		double progress = Math.min(1.0, (double)(step - warmupSteps) / Math.max(1, steps - warmupSteps));
		double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
		return learningRate * (minLearningRateFraction + (1 - minLearningRateFraction) * cosine);
	}
}
