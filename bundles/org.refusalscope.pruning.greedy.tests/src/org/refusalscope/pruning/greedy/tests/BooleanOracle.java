package org.refusalscope.pruning.greedy.tests;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.pipeline.AblationOracle;
import org.refusalscope.api.pipeline.AblationOutcome;

/** An oracle whose flip verdict is a known boolean function of the ablated set; counts evaluations and calls. */
final class BooleanOracle implements AblationOracle {

	private final Predicate<Set<FeatureRef>> flips;
	int evaluations;
	int calls;
	int largestBatch;

	BooleanOracle(Predicate<Set<FeatureRef>> flips) {
		this.flips = flips;
	}

	boolean flips(Collection<FeatureRef> set) {
		return flips.test(new HashSet<>(set));
	}

	@Override
	public List<AblationOutcome> evaluate(List<? extends Collection<FeatureRef>> sets) {
		calls++;
		largestBatch = Math.max(largestBatch, sets.size());
		List<AblationOutcome> out = new ArrayList<>();
		for(Collection<FeatureRef> set : sets) {
			evaluations++;
			boolean flipped = flips(set);
			// a score that also encodes the set size, so records are distinguishable
			out.add(new AblationOutcome(flipped ? -1.0 - set.size() * 0.01 : 1.0 + set.size() * 0.01, !flipped));
		}
		return out;
	}

	@Override
	public int evaluationsUsed() {
		return evaluations;
	}
}
