package org.refusalscope.api.pipeline;

import java.util.List;

import org.refusalscope.api.model.HookPoint;
import org.refusalscope.api.model.InterventionPlan;
import org.refusalscope.api.model.ModelInfo;
import org.refusalscope.api.prompts.Prompt;

/**
 * What direction finders and feature collectors may ask of the model, implemented by the core's evaluation engine
 * (batched, chat template applied, results cached). Strategies never call the model directly.
 */
public interface ActivationSource {

	ModelInfo model();

	/** Number of chat-template tokens after the instruction (the "post-instruction" positions). */
	int postInstructionTokens();

	/**
	 * Activations {@code [prompt][i][d_model]} at {@code layers[i]} and {@code hook}, at {@code position} relative
	 * to the end of the chat-formatted prompt ({@code -1} = last token).
	 */
	float[][][] activations(List<Prompt> prompts, HookPoint hook, int[] layers, int position);

	/** Refusal score of each prompt under {@code plan} (log-odds of refusal tokens at the last position). */
	double[] refusalScores(List<Prompt> prompts, InterventionPlan plan);

	/** Log-probabilities of the next token at the last position {@code [prompt][vocab]} under {@code plan}. */
	float[][] nextTokenLogProbs(List<Prompt> prompts, InterventionPlan plan);
}
