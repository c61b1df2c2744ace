package org.refusalscope.api.model;

import java.util.List;

/**
 * A batched forward pass.
 *
 * @param sequences    token ids per sequence, unpadded (the backend left-pads)
 * @param plans        one plan for all sequences, or one per sequence
 * @param positions    positions to return logits and activations at, relative to the end of each sequence
 *                     ({@code -1} = last token); never all positions unless asked
 * @param logits       whether to compute logits (after any final soft-cap) at {@code positions}
 * @param captures     activations to return at {@code positions} (after the edits of the plan at that point)
 */
public record ForwardRequest(List<int[]> sequences, List<InterventionPlan> plans, int[] positions, boolean logits,
		List<ActivationCapture> captures) {

	public ForwardRequest {
		sequences = List.copyOf(sequences);
		plans = List.copyOf(plans);
		captures = List.copyOf(captures);
		if(plans.size() != 1 && plans.size() != sequences.size()) {
			throw new IllegalArgumentException("need one plan or one per sequence, got " + plans.size() + " for "
					+ sequences.size() + " sequences");
		}
	}

	/** Last-position logits of the given sequences without edits. */
	public static ForwardRequest lastLogits(List<int[]> sequences) {
		return new ForwardRequest(sequences, List.of(InterventionPlan.NONE), new int[]{-1}, true, List.of());
	}

	public InterventionPlan planFor(int sequence) {
		return plans.size() == 1 ? plans.get(0) : plans.get(sequence);
	}
}
