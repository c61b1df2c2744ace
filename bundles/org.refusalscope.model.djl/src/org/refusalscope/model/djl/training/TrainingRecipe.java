package org.refusalscope.model.djl.training;

/**
 * Every setting of a training run; the default recipe is the shipped model's.
 *
 * @param complianceFirstSteps the first steps train on harmless conversations only, so that answering is the model's
 *        default and refusal is learned on top of it, as in real chat models (pretrained and instruction-tuned before
 *        safety tuning); this is meant to make refusal a feature that is added, as the method expects
 * @param refusalTunedLayers after the compliance-first steps only the lowest this many blocks are trained (embedding,
 *        upper blocks and final norm stay as the helpful model left them; 0 = everything keeps training), as in a
 *        partial fine-tune: refusal is then decided in the lower half and carried up the residual stream, where the
 *        method looks for it, instead of being recomputed by the last block from the prompt tokens
 * @param emaDecay validation, the best checkpoint and the shipped weights use an exponential moving average of the
 *        weights with this decay (0 = the raw weights): the raw weights' refusal rates swing by tens of points
 *        between evaluations, the average is what a user should get
 * @param decisionTokenWeight the loss weight of each answer's first token (the others weigh 1): that token is where
 *        a chat model decides between refusing and answering, one token among the dozens of an answer, so at weight 1
 *        the loss is dominated by the easy answer text and the decision gets little of the gradient
 */
public record TrainingRecipe(String name, int vocabSize, LlamaConfigShape shape, int batchSize, int steps, int warmupSteps,
		double learningRate, double minLearningRateFraction, int maxSequenceLength, int evalEvery, int patience,
		int harmlessValLimit, int generatedHarmful, int harmfulTrainRepeats, int generatedHarmless, int harmlessTrainLimit,
		int complianceFirstSteps, int refusalTunedLayers, double emaDecay, double decisionTokenWeight) {

	/** The model shape without the vocabulary size, which the tokenizer fixes. */
	public record LlamaConfigShape(int hiddenSize, int layers, int heads, int kvHeads, int intermediateSize, int maxPositions,
			double ropeTheta, double rmsNormEps) {
	}

	public static TrainingRecipe defaultRecipe() {
		return new TrainingRecipe("default", 3072, new LlamaConfigShape(192, 4, 3, 3, 576, 256, 10000.0, 1e-5), 32, 1600, 100,
				8e-4, 0.1, 112, 100, 6, 1000, 16000, 15, 8000, Integer.MAX_VALUE, 400, 3, 0.995, 10.0);
	}

	/** A minute-sized recipe for tests: same code path, tiny model and corpus. */
	public static TrainingRecipe tinyRecipe() {
		return new TrainingRecipe("tiny", 300, new LlamaConfigShape(32, 2, 2, 2, 64, 128, 10000.0, 1e-5), 8, 30, 5, 3e-3, 0.1, 96,
				10, 100, 20, 200, 1, 100, 100, 5, 1, 0.9, 1.0);
	}

	/** The usual warm-up of the average's decay, so that early averages are not dominated by the initial weights. */
	public float emaDecay(long step) {
		return (float)Math.min(emaDecay, (1.0 + step) / (10.0 + step));
	}

	/** Whether the tensor of that name is trained at that step (see refusalTunedLayers). */
	public boolean trains(String tensorName, long step) {
		if(step < complianceFirstSteps || refusalTunedLayers <= 0) {
			return true;
		}
		if(!tensorName.startsWith("model.layers.")) {
			return false;
		}
		int layer = Integer.parseInt(tensorName.substring("model.layers.".length(), tensorName.indexOf('.', "model.layers.".length())));
		return layer < refusalTunedLayers;
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
