package org.refusalscope.core.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.pipeline.EvaluationRecord;
import org.refusalscope.api.pipeline.InteractionData;
import org.refusalscope.api.pipeline.InteractionFit;
import org.refusalscope.api.pipeline.InteractionModel;
import org.refusalscope.api.pipeline.PairEffect;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.core.runs.DissectionResults;

/**
 * Stage 3 for one prompt (method.md section 9): the pool (the minimal set S plus the other candidates active at
 * baseline or once S is ablated), structured and stratified random masks scored by the proxy, the interaction model
 * fit, and hydra features (dormant at baseline, awake under S, whose extra ablation lowers the refusal score).
 */
final class InteractionStage {

	record Output(DissectionResults.Interactions interactions, List<DissectionResults.HydraFeature> hydra) {
	}

	private InteractionStage() {
	}

	static Output run(EvaluationEngine engine, Prompt prompt, List<FeatureRef> minimal, List<FeatureRef> candidates,
			List<EvaluationRecord> trace, ResolvedStrategy<InteractionModel<?>> model, RunSettings.Stage3 s, long seed,
			ProgressMonitor monitor) {
		List<FeatureRef> others = new ArrayList<>(candidates);
		others.removeAll(minimal);
		double[] base = others.isEmpty() ? new double[0] : engine.latentActivations(prompt, List.of(), others);
		double[] ablated = others.isEmpty() ? new double[0] : engine.latentActivations(prompt, minimal, others);
		Map<FeatureRef, double[]> activity = new LinkedHashMap<>();
		for(int i = 0; i < others.size(); i++) {
			if(base[i] > s.activeThreshold() || ablated[i] > s.activeThreshold()) {
				activity.put(others.get(i), new double[]{base[i], ablated[i]});
			}
		}
		List<FeatureRef> active = new ArrayList<>(activity.keySet());
		active.sort(Comparator.comparingDouble((FeatureRef f) -> -Math.max(activity.get(f)[0], activity.get(f)[1])));
		List<FeatureRef> pool = new ArrayList<>(minimal);
		pool.addAll(active.subList(0, Math.max(0, Math.min(active.size(), s.maxPool() - minimal.size()))));
		List<boolean[]> masks = masks(pool, minimal.size(), trace, s, seed);
		List<List<FeatureRef>> sets = new ArrayList<>();
		for(boolean[] mask : masks) {
			sets.add(setOf(pool, mask));
		}
		monitor.subTask("scoring " + sets.size() + " ablation masks over " + pool.size() + " features");
		double[] targets = engine.scoreSets(prompt, sets);
		DissectionResults.Interactions interactions = null;
		if(pool.size() >= 2 && masks.size() >= 10) {
			int[] test = holdOut(masks.size(), s.testFraction(), seed);
			InteractionData data = new InteractionData(pool, masks.toArray(new boolean[0][]), targets, test);
			InteractionFit fit = fit(model, data, seed, monitor);
			List<DissectionResults.Effect> effects = new ArrayList<>();
			for(int i = 0; i < pool.size(); i++) {
				effects.add(new DissectionResults.Effect(pool.get(i).layer(), pool.get(i).feature(), fit.mainEffects()[i]));
			}
			List<DissectionResults.Pair> pairs = new ArrayList<>();
			for(PairEffect pair : fit.topPairs()) {
				pairs.add(new DissectionResults.Pair(feature(pair.a()), feature(pair.b()), pair.weight()));
			}
			interactions = new DissectionResults.Interactions(fit.testR2(), fit.linearTestR2(), masks.size(), effects, pairs);
		}
		// hydra: score(S + j) - score(S) for the awakened latents (both sets were scored above)
		double scoreS = engine.scoreSets(prompt, List.of(minimal))[0];
		List<DissectionResults.HydraFeature> hydra = new ArrayList<>();
		for(FeatureRef j : pool.subList(minimal.size(), pool.size())) {
			double[] act = activity.get(j);
			if(act[0] <= s.dormantThreshold() && act[1] > s.activeThreshold()) {
				List<FeatureRef> plus = new ArrayList<>(minimal);
				plus.add(j);
				double delta = engine.scoreSets(prompt, List.of(plus))[0] - scoreS;
				if(delta < 0) {
					hydra.add(new DissectionResults.HydraFeature(j.layer(), j.feature(), act[0], act[1], delta));
				}
			}
		}
		hydra.sort(Comparator.comparingDouble(DissectionResults.HydraFeature::deltaRefusalScore));
		return new Output(interactions, hydra);
	}

	@SuppressWarnings({"unchecked", "rawtypes"})
	private static InteractionFit fit(ResolvedStrategy<InteractionModel<?>> model, InteractionData data, long seed,
			ProgressMonitor monitor) {
		InteractionModel raw = model.strategy();
		return raw.fit(data, model.settings(), seed, monitor);
	}

	/**
	 * Singletons, S, S minus each member, S plus each other pool feature, Bernoulli masks cycling over the densities,
	 * and every pruning evaluation that lies inside the pool; duplicates removed (they would leak into the test rows).
	 */
	static List<boolean[]> masks(List<FeatureRef> pool, int minimalSize, List<EvaluationRecord> trace,
			RunSettings.Stage3 s, long seed) {
		int n = pool.size();
		Map<String, boolean[]> unique = new LinkedHashMap<>();
		for(int i = 0; i < n; i++) {
			boolean[] m = new boolean[n];
			m[i] = true;
			add(unique, m);
		}
		boolean[] minimal = new boolean[n];
		Arrays.fill(minimal, 0, minimalSize, true);
		add(unique, minimal);
		for(int i = 0; i < minimalSize; i++) {
			boolean[] m = minimal.clone();
			m[i] = false;
			add(unique, m);
		}
		for(int j = minimalSize; j < n; j++) {
			boolean[] m = minimal.clone();
			m[j] = true;
			add(unique, m);
		}
		Set<FeatureRef> inPool = new HashSet<>(pool);
		for(EvaluationRecord record : trace) {
			if(inPool.containsAll(record.set())) {
				boolean[] m = new boolean[n];
				for(FeatureRef f : record.set()) {
					m[pool.indexOf(f)] = true;
				}
				add(unique, m);
			}
		}
		Random random = new Random(seed);
		List<Double> densities = s.densities();
		for(int r = 0; r < s.randomMasks(); r++) {
			double q = densities.get(r % densities.size());
			boolean[] m = new boolean[n];
			for(int i = 0; i < n; i++) {
				m[i] = random.nextDouble() < q;
			}
			add(unique, m);
		}
		return new ArrayList<>(unique.values());
	}

	private static void add(Map<String, boolean[]> unique, boolean[] mask) {
		unique.putIfAbsent(Arrays.toString(mask), mask);
	}

	private static List<FeatureRef> setOf(List<FeatureRef> pool, boolean[] mask) {
		List<FeatureRef> out = new ArrayList<>();
		for(int i = 0; i < mask.length; i++) {
			if(mask[i]) {
				out.add(pool.get(i));
			}
		}
		return out;
	}

	static int[] holdOut(int rows, double fraction, long seed) {
		List<Integer> order = new ArrayList<>();
		for(int i = 0; i < rows; i++) {
			order.add(i);
		}
		java.util.Collections.shuffle(order, new Random(seed ^ 0x5eed));
		int count = Math.max(1, (int) Math.round(rows * fraction));
		return order.subList(0, count).stream().mapToInt(Integer::intValue).sorted().toArray();
	}

	private static DissectionResults.Feature feature(FeatureRef f) {
		return new DissectionResults.Feature(f.layer(), f.feature());
	}
}
