package org.refusalscope.pruning.greedy;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.refusalscope.api.FeatureRef;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.api.pipeline.AblationOracle;
import org.refusalscope.api.pipeline.PruningResult;
import org.refusalscope.api.pipeline.PruningStrategy;

/**
 * Backward elimination (method.md section 8.1): starting from the full candidate set, drop each element whose removal
 * keeps the prompt flipped; repeat passes until one removes nothing, so every member of the result is re-tested
 * against the final set (1-minimal even when flipping is not monotone).
 */
@Component(service = PruningStrategy.class)
public class BackwardElimination implements PruningStrategy<BackwardElimination.Settings> {

	/**
	 * @param order     {@code ascending} (weakest candidate first), {@code given} or {@code random}
	 * @param seed      seed of the random order
	 * @param batchSize leave-one-out sets evaluated per oracle call (speculatively; the result equals the sequential
	 *                  pass)
	 * @param maxPasses safety bound on passes, 0 for none
	 */
	public record Settings(String order, long seed, int batchSize, int maxPasses) {
	}

	@Override
	public String id() {
		return "backward";
	}

	@Override
	public String name() {
		return "Backward elimination";
	}

	@Override
	public String description() {
		return "Drops candidates one at a time (weakest first) while the prompt stays flipped, then re-tests every "
				+ "member until stable: a 1-minimal set.";
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
		progress.begin("Backward elimination over " + candidates.size() + " candidates", -1);
		Elimination elimination = new Elimination(EliminationOrder.apply(candidates, s.order(), s.seed()), oracle,
				progress);
		if(!elimination.evaluateFull()) {
			return elimination.result(false);
		}
		elimination.singlePassesUntilStable(s.batchSize(), s.maxPasses());
		return elimination.result(true);
	}
}
