package org.refusalscope.ui.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.refusalscope.core.runs.DissectionResults;
import org.refusalscope.core.runs.DissectionResults.CandidateFeature;
import org.refusalscope.core.runs.DissectionResults.Feature;
import org.refusalscope.core.runs.DissectionResults.HydraFeature;
import org.refusalscope.core.runs.DissectionResults.MinimalSetFeature;
import org.refusalscope.core.runs.DissectionResults.Pair;
import org.refusalscope.core.runs.DissectionResults.PromptResult;

/**
 * Reshapes what results.json holds for display (counts, look-ups, ordering). No analysis: every number shown comes
 * from the file as it is.
 */
public final class ResultsViews {

	private ResultsViews() {
	}

	public static String label(int layer, int feature) {
		return "L" + layer + "/" + feature;
	}

	public static String label(Feature feature) {
		return label(feature.layer(), feature.feature());
	}

	/** Number of minimal-set features per layer, over all prompts. */
	public static SortedMap<Integer, Integer> layerHistogram(DissectionResults results) {
		SortedMap<Integer, Integer> counts = new TreeMap<>();
		for(PromptResult prompt : results.prompts()) {
			for(MinimalSetFeature feature : nonNull(prompt.minimalSet())) {
				counts.merge(feature.layer(), 1, Integer::sum);
			}
		}
		return counts;
	}

	/** Number of hydra features per layer, over all prompts. */
	public static SortedMap<Integer, Integer> hydraLayerHistogram(DissectionResults results) {
		SortedMap<Integer, Integer> counts = new TreeMap<>();
		for(PromptResult prompt : results.prompts()) {
			for(HydraFeature hydra : nonNull(prompt.hydra())) {
				counts.merge(hydra.layer(), 1, Integer::sum);
			}
		}
		return counts;
	}

	/** The cosine the collector recorded for a feature of this prompt, if it was a candidate. */
	public static OptionalDouble cosine(PromptResult prompt, Feature feature) {
		for(CandidateFeature candidate : nonNull(prompt.candidates())) {
			if(candidate.layer() == feature.layer() && candidate.feature() == feature.feature()) {
				return OptionalDouble.of(candidate.cosine());
			}
		}
		return OptionalDouble.empty();
	}

	public static Set<Feature> hydra(PromptResult prompt) {
		Set<Feature> out = new LinkedHashSet<>();
		for(HydraFeature hydra : nonNull(prompt.hydra())) {
			out.add(new Feature(hydra.layer(), hydra.feature()));
		}
		return out;
	}

	public static boolean flipped(PromptResult prompt) {
		return prompt.baseline() != null && prompt.ablated() != null && prompt.baseline().refused()
				&& !prompt.ablated().refused();
	}

	/**
	 * The features of the interaction heat map: those in the strongest stored pairs, ordered by the largest
	 * |weight| of any pair they take part in, at most {@code limit}.
	 */
	public static List<Feature> strongestPairFeatures(PromptResult prompt, int limit) {
		if(prompt.interactions() == null) {
			return List.of();
		}
		Map<Feature, Double> strength = new LinkedHashMap<>();
		for(Pair pair : nonNull(prompt.interactions().topPairs())) {
			strength.merge(pair.a(), Math.abs(pair.weight()), Math::max);
			strength.merge(pair.b(), Math.abs(pair.weight()), Math::max);
		}
		List<Feature> ordered = new ArrayList<>(strength.keySet());
		ordered.sort(Comparator.comparingDouble((Feature f) -> -strength.get(f)));
		return ordered.subList(0, Math.min(limit, ordered.size()));
	}

	/** Symmetric matrix of stored pair weights over {@code features}; NaN where results.json has no such pair. */
	public static double[][] pairMatrix(PromptResult prompt, List<Feature> features) {
		int n = features.size();
		double[][] matrix = new double[n][n];
		for(double[] row : matrix) {
			java.util.Arrays.fill(row, Double.NaN);
		}
		if(prompt.interactions() != null) {
			for(Pair pair : nonNull(prompt.interactions().topPairs())) {
				int a = features.indexOf(pair.a());
				int b = features.indexOf(pair.b());
				if(a >= 0 && b >= 0) {
					matrix[a][b] = pair.weight();
					matrix[b][a] = pair.weight();
				}
			}
		}
		return matrix;
	}

	public static <T> List<T> nonNull(List<T> list) {
		return list == null ? List.of() : list;
	}
}
