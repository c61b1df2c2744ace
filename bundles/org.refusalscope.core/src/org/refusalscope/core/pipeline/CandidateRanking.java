package org.refusalscope.core.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.pipeline.Candidate;
import org.refusalscope.api.prompts.Prompt;

/**
 * Optional per-prompt re-ranking of the pooled stage-1 candidates before pruning (method.md section 4.4 ranks the
 * pool per prompt by attribution and keeps the top K*). The backend API has no gradients, so LA-IG itself is not
 * offered; the two rankings here are gradient-free stand-ins:
 * <ul>
 * <li>{@code activation}: max activation of the latent on the prompt times its cosine to the direction;</li>
 * <li>{@code ablation}: the drop of the refusal score when the latent alone is ablated (one batched call).</li>
 * </ul>
 * {@code none} keeps the collector's order. With {@code top > 0} only the best {@code top} are kept.
 */
final class CandidateRanking {

	private CandidateRanking() {
	}

	static List<Candidate> rerank(EvaluationEngine engine, Prompt prompt, List<Candidate> candidates, String mode,
			int top) {
		String name = mode == null ? "none" : mode.toLowerCase(Locale.ROOT);
		List<FeatureRef> refs = candidates.stream().map(Candidate::feature).toList();
		double[] score;
		switch(name) {
			case "none" -> {
				return top > 0 ? List.copyOf(candidates.subList(0, Math.min(top, candidates.size()))) : candidates;
			}
			case "activation" -> {
				double[] act = engine.latentActivations(prompt, List.of(), refs);
				score = new double[refs.size()];
				for(int i = 0; i < score.length; i++) {
					score[i] = act[i] * candidates.get(i).cosine();
				}
			}
			case "ablation" -> {
				List<List<FeatureRef>> sets = new ArrayList<>();
				sets.add(List.of());
				for(FeatureRef f : refs) {
					sets.add(List.of(f));
				}
				double[] scores = engine.scoreSets(prompt, sets);
				score = new double[refs.size()];
				for(int i = 0; i < score.length; i++) {
					score[i] = scores[0] - scores[i + 1];
				}
			}
			default -> throw new IllegalArgumentException("unknown re-ranking '" + mode + "' (none, activation, ablation)");
		}
		List<Integer> order = new ArrayList<>();
		for(int i = 0; i < refs.size(); i++) {
			order.add(i);
		}
		// stable: ties keep the collector's order
		order.sort(Comparator.comparingDouble(i -> -score[i]));
		List<Candidate> out = new ArrayList<>();
		for(int i : order.subList(0, top > 0 ? Math.min(top, order.size()) : order.size())) {
			Candidate c = candidates.get(i);
			out.add(new Candidate(c.feature(), c.cosine(), score[i]));
		}
		return out;
	}
}
