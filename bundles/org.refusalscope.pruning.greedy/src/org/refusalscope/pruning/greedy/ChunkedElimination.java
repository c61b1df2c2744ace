package org.refusalscope.pruning.greedy;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.pipeline.AblationOracle;
import org.refusalscope.api.pipeline.AblationOutcome;
import org.refusalscope.api.pipeline.PruningResult;
import org.refusalscope.api.pipeline.PruningStrategy;

/**
 * Delta-debugging style chunked elimination (method.md section 8.2): try removing blocks of size b (all blocks of
 * one partition in one oracle call), keep the first removal that stays flipped, halve b when none does, and finish
 * with single-element passes that certify 1-minimality. Saves calls when most candidates are passengers.
 */
@Component(service = PruningStrategy.class)
public class ChunkedElimination implements PruningStrategy<ChunkedElimination.Settings> {

	/**
	 * @param order     {@code ascending} (weakest first), {@code given} or {@code random}; chunks are consecutive
	 * @param seed      seed of the random order
	 * @param batchSize leave-one-out sets per oracle call in the final single-element passes
	 * @param maxPasses safety bound on the final passes, 0 for none
	 */
	public record Settings(String order, long seed, int batchSize, int maxPasses) {
	}

	@Override
	public String id() {
		return "ddmin";
	}

	@Override
	public String name() {
		return "Chunked elimination (ddmin)";
	}

	@Override
	public String description() {
		return "Removes blocks of candidates, halving the block size when no block can go, then certifies "
				+ "1-minimality with single-element passes.";
	}

	@Override
	public Class<Settings> settingsType() {
		return Settings.class;
	}

	@Override
	public Settings defaultSettings() {
		return new Settings(EliminationOrder.ASCENDING, 42L, 8, 50);
	}

	@Override
	public PruningResult prune(List<FeatureRef> candidates, AblationOracle oracle, Settings settings,
			ProgressMonitor monitor) {
		Settings s = settings == null ? defaultSettings() : settings;
		ProgressMonitor progress = monitor == null ? ProgressMonitor.NULL : monitor;
		progress.begin("Chunked elimination over " + candidates.size() + " candidates", -1);
		Elimination elimination = new Elimination(EliminationOrder.apply(candidates, s.order(), s.seed()), oracle,
				progress);
		if(!elimination.evaluateFull()) {
			return elimination.result(false);
		}
		List<FeatureRef> current = elimination.current();
		int chunk = current.size() / 2;
		while(chunk > 1) {
			List<List<FeatureRef>> sets = new ArrayList<>();
			List<String> steps = new ArrayList<>();
			List<int[]> bounds = new ArrayList<>();
			for(int from = 0; from < current.size(); from += chunk) {
				int to = Math.min(from + chunk, current.size());
				sets.add(Elimination.without(current, from, to));
				steps.add("drop chunk " + current.get(from) + ".." + current.get(to - 1) + " (" + (to - from) + ")");
				bounds.add(new int[]{from, to});
			}
			int firstRecord = elimination.traceSize();
			List<AblationOutcome> outcomes = elimination.evaluate(sets, steps);
			int flip = Elimination.firstFlip(outcomes);
			if(flip < 0) {
				chunk /= 2;
				continue;
			}
			elimination.accept(firstRecord + flip);
			int[] removed = bounds.get(flip);
			current.subList(removed[0], removed[1]).clear();
			// keep the block size unless it no longer splits the set
			chunk = Math.min(chunk, current.size() / 2);
		}
		elimination.singlePassesUntilStable(s.batchSize(), s.maxPasses());
		return elimination.result(true);
	}
}
