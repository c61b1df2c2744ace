package org.refusalscope.api.model;

/**
 * One generated completion.
 *
 * @param tokens           generated ids, without the stop token
 * @param text             decoded completion
 * @param stoppedBy        {@code eos} or {@code max_tokens}
 * @param firstStepLogits  logits at the first generated position (the refusal score is read from them)
 */
public record GenerationResult(int[] tokens, String text, String stoppedBy, float[] firstStepLogits) {
}
