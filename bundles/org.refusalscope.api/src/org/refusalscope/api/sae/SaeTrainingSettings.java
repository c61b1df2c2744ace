package org.refusalscope.api.sae;

/**
 * How an SAE is trained (see {@link SaeTrainer}).
 *
 * @param architecture    {@link SaeArchitecture#TOPK} or {@link SaeArchitecture#JUMPRELU}
 * @param width           number of latents (d_sae)
 * @param k               active latents per token for TopK
 * @param learningRate    Adam step size
 * @param sparsityCoeff   JumpReLU L0 penalty coefficient (the CLI's {@code --l1}); unused for TopK
 * @param batchSize       activation rows per step
 * @param epochs          passes over the activations
 * @param seed            initialisation and data order
 * @param checkpointEvery steps between checkpoints (0 = only at the end)
 * @param resume          continue from the checkpoint in the output folder when there is one
 * @param layer           layer the activations come from (written to cfg.json)
 * @param hookName        TransformerLens hook name, e.g. {@code blocks.6.hook_resid_post}
 * @param modelName       model name for cfg.json metadata
 */
public record SaeTrainingSettings(SaeArchitecture architecture, int width, int k, float learningRate, float sparsityCoeff,
		int batchSize, int epochs, long seed, int checkpointEvery, boolean resume, int layer, String hookName,
		String modelName) {

	public SaeTrainingSettings {
		if(architecture != SaeArchitecture.TOPK && architecture != SaeArchitecture.JUMPRELU) {
			throw new IllegalArgumentException("trainable architectures are topk and jumprelu, not " + architecture);
		}
		if(width <= 0 || batchSize <= 0 || epochs <= 0 || !(learningRate > 0)) {
			throw new IllegalArgumentException("width, batch size, epochs and learning rate must be positive");
		}
		if(architecture == SaeArchitecture.TOPK && (k <= 0 || k > width)) {
			throw new IllegalArgumentException("TopK needs 0 < k <= width, got k=" + k);
		}
	}
}
