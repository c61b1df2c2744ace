package org.refusalscope.pruning.greedy;

import java.util.ArrayList;
import java.util.List;

import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.pipeline.AblationOracle;
import org.refusalscope.api.pipeline.AblationOutcome;
import org.refusalscope.api.pipeline.EvaluationRecord;
import org.refusalscope.api.pipeline.PruningResult;

/**
 * The state shared by the elimination strategies: the current set (in elimination order), the oracle and the trace
 * of every evaluation. "Flipped" means the oracle's verdict is not refused.
 */
final class Elimination {

	private final AblationOracle oracle;
	private final ProgressMonitor monitor;
	private final List<EvaluationRecord> trace = new ArrayList<>();
	private final List<FeatureRef> current;

	Elimination(List<FeatureRef> ordered, AblationOracle oracle, ProgressMonitor monitor) {
		this.current = new ArrayList<>(ordered);
		this.oracle = oracle;
		this.monitor = monitor == null ? ProgressMonitor.NULL : monitor;
	}

	int traceSize() {
		return trace.size();
	}

	List<FeatureRef> current() {
		return current;
	}

	/** Evaluates the full current set; true when its ablation flips the prompt. */
	boolean evaluateFull() {
		AblationOutcome outcome = evaluate(List.of(List.copyOf(current)), List.of("full")).get(0);
		boolean flipped = !outcome.refused();
		if(flipped) {
			accept(trace.size() - 1);
		}
		return flipped;
	}

	/**
	 * Evaluates all sets in one oracle call and appends them to the trace, not accepted.
	 */
	List<AblationOutcome> evaluate(List<List<FeatureRef>> sets, List<String> steps) {
		monitor.checkCanceled();
		List<AblationOutcome> outcomes = oracle.evaluate(sets);
		if(outcomes.size() != sets.size()) {
			throw new IllegalStateException("the oracle returned " + outcomes.size() + " outcomes for " + sets.size()
					+ " sets");
		}
		for(int i = 0; i < sets.size(); i++) {
			AblationOutcome outcome = outcomes.get(i);
			trace.add(new EvaluationRecord(steps.get(i), List.copyOf(sets.get(i)), outcome.refusalScore(),
					outcome.refused(), false));
		}
		monitor.worked(sets.size());
		return outcomes;
	}

	/** Marks trace entry {@code index} as the set the strategy moved to. */
	void accept(int index) {
		EvaluationRecord record = trace.get(index);
		trace.set(index, new EvaluationRecord(record.step(), record.set(), record.score(), record.refused(), true));
	}

	/**
	 * One pass over the current set in order, trying to drop each element alone. Up to {@code batchSize} consecutive
	 * leave-one-out sets are evaluated speculatively in one oracle call; only the first flipping one is accepted and
	 * the pass continues after it with the new set, so the outcome equals the sequential pass exactly.
	 *
	 * @return whether an element was removed
	 */
	boolean singlePass(int batchSize) {
		boolean removed = false;
		int index = 0;
		while(index < current.size()) {
			int end = Math.min(index + Math.max(1, batchSize), current.size());
			List<List<FeatureRef>> sets = new ArrayList<>();
			List<String> steps = new ArrayList<>();
			for(int j = index; j < end; j++) {
				sets.add(without(current, j, j + 1));
				steps.add("drop " + current.get(j));
			}
			int firstRecord = trace.size();
			List<AblationOutcome> outcomes = evaluate(sets, steps);
			int flip = firstFlip(outcomes);
			if(flip < 0) {
				index = end;
				continue;
			}
			accept(firstRecord + flip);
			current.remove(index + flip);
			removed = true;
			// the element after the removed one now sits at index + flip
			index += flip;
		}
		return removed;
	}

	/** Repeats single passes until one removes nothing: that last pass certifies 1-minimality. */
	void singlePassesUntilStable(int batchSize, int maxPasses) {
		int passes = 0;
		while(singlePass(batchSize)) {
			passes++;
			if(maxPasses > 0 && passes >= maxPasses) {
				throw new IllegalStateException("no stable 1-minimal set after " + passes + " passes; the flip "
						+ "verdict is unstable");
			}
		}
	}

	PruningResult result(boolean flipped) {
		return new PruningResult(flipped, flipped ? List.copyOf(current) : List.of(), List.copyOf(trace));
	}

	static int firstFlip(List<AblationOutcome> outcomes) {
		for(int i = 0; i < outcomes.size(); i++) {
			if(!outcomes.get(i).refused()) {
				return i;
			}
		}
		return -1;
	}

	static List<FeatureRef> without(List<FeatureRef> set, int from, int to) {
		List<FeatureRef> out = new ArrayList<>(set.size() - (to - from));
		out.addAll(set.subList(0, from));
		out.addAll(set.subList(to, set.size()));
		return out;
	}
}
