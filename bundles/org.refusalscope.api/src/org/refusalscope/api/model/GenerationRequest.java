package org.refusalscope.api.model;

import java.util.List;

/**
 * Batched generation with a KV cache; edits of the plans apply to generated tokens too.
 *
 * @param temperature 0 for greedy decoding
 * @param seed        seed for sampling
 */
public record GenerationRequest(List<int[]> prompts, List<InterventionPlan> plans, int maxNewTokens,
		double temperature, long seed) {

	public GenerationRequest {
		prompts = List.copyOf(prompts);
		plans = List.copyOf(plans);
		if(plans.size() != 1 && plans.size() != prompts.size()) {
			throw new IllegalArgumentException("need one plan or one per prompt");
		}
	}

	public static GenerationRequest greedy(List<int[]> prompts, InterventionPlan plan, int maxNewTokens) {
		return new GenerationRequest(prompts, List.of(plan), maxNewTokens, 0.0, 0L);
	}

	public InterventionPlan planFor(int prompt) {
		return plans.size() == 1 ? plans.get(0) : plans.get(prompt);
	}
}
